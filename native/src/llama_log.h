// llama.cpp/ggml log routing. Messages below the chosen level are dropped; the last error line of
// each thread is kept so a failed load can say why (llama.cpp reports causes only through the log).
#pragma once

#include <string>

void llama_log_install();
void llama_log_set_level(int level);  // 0 none, 1 error, 2 warn, 3 info, 4 debug
void llama_log_clear_last_error();
std::string llama_log_last_error();
