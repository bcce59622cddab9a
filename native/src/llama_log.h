// llama.cpp/ggml log routing. Messages below the chosen level are dropped; the last error line of
// each thread is kept so a failed load can say why (llama.cpp reports causes only through the log).
#pragma once

#include <string>
#include <vector>

void llama_log_install();
void llama_log_set_level(int level);  // 0 none, 1 error, 2 warn, 3 info, 4 debug
void llama_log_clear_last_error();
std::string llama_log_last_error();

// Records every complete log line this thread emits while alive, whatever the level: llama.cpp
// reports some decisions (such as what flash_attn=auto resolved to) only through its log.
class llama_log_capture {
public:
    llama_log_capture();
    ~llama_log_capture();
    llama_log_capture(const llama_log_capture &) = delete;
    llama_log_capture & operator=(const llama_log_capture &) = delete;

    bool contains(const std::string & text) const;
    void record(std::string line);

private:
    std::vector<std::string> lines;
    llama_log_capture * outer;
};
