#include "llama_log.h"

#include "llama.h"

#include <atomic>
#include <cstdio>

static std::atomic<int> g_level{1};
static thread_local std::string t_last_error;
static thread_local std::string t_line;

static int level_rank(ggml_log_level level) {
    switch (level) {
        case GGML_LOG_LEVEL_ERROR: return 1;
        case GGML_LOG_LEVEL_WARN:  return 2;
        case GGML_LOG_LEVEL_INFO:  return 3;
        case GGML_LOG_LEVEL_DEBUG: return 4;
        default:                   return -1;  // NONE / CONT: continuation of the previous line
    }
}

static thread_local int t_line_rank = 3;
static thread_local llama_log_capture * t_capture = nullptr;

static void on_log(ggml_log_level level, const char * text, void *) {
    const int rank = level_rank(level);
    if (rank >= 0) {
        t_line_rank = rank;
        t_line.clear();
    }
    t_line += text;
    if (t_line.empty() || t_line.back() != '\n') return;
    if (t_capture) t_capture->record(t_line.substr(0, t_line.size() - 1));
    if (t_line_rank == 1) {
        t_last_error = t_line.substr(0, t_line.size() - 1);
    }
    if (t_line_rank <= g_level.load()) {
        std::fputs(t_line.c_str(), stderr);
    }
    t_line.clear();
}

void llama_log_install() { llama_log_set(on_log, nullptr); }
void llama_log_set_level(int level) { g_level.store(level); }
void llama_log_clear_last_error() { t_last_error.clear(); }
std::string llama_log_last_error() { return t_last_error; }

llama_log_capture::llama_log_capture() : outer(t_capture) { t_capture = this; }
llama_log_capture::~llama_log_capture() { t_capture = outer; }

void llama_log_capture::record(std::string line) { lines.push_back(std::move(line)); }

bool llama_log_capture::contains(const std::string & text) const {
    for (const auto & line : lines) {
        if (line.find(text) != std::string::npos) return true;
    }
    return false;
}
