// The compute thread count, step by step, when the user did not fix it. ggml's threads spin at
// every barrier, so where other processes hold cores, n threads can be tens of times slower than
// fewer (measured on 2 busy cores: 4-15 tokens/s with 2 threads, 366-666 with 1). The tuner times
// each decode and now and then tries one thread less, or, ever more rarely after a failed try,
// one more, keeping whichever is faster per token; a try of one more thread stops after one step
// if that step is much slower. Pure bookkeeping: the engine thread calls it.
#pragma once

#include <cstdint>
#include <vector>

class thread_tuner {
public:
    // n_max: the most threads to use; n_start: the first count; adaptive false: always n_max.
    thread_tuner(int32_t n_max, int32_t n_start, bool adaptive);

    // Threads for the next decode.
    int32_t threads() const { return current + probe_delta; }
    // Records the decode just made with threads(): its wall time and tokens, at `now_ms`.
    void record(double ms, int32_t n_tokens, double now_ms);

private:
    struct step {
        double per_token;  // ms
        double ms;
    };
    static double per_token(const std::vector<step> & steps);  // their median
    void settle(double now_ms);

    int32_t n_max;
    bool adaptive;
    int32_t current;
    int32_t probe_delta = 0;       // -1 or +1 while a try runs
    std::vector<step> base, probe;  // recent steps at `current`, and those of the running try
    double next_down_ms = 0, next_up_ms = 0;
    double down_wait_ms = 500, up_wait_ms = 1000;  // grow after each failed try
};
