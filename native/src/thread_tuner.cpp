#include "thread_tuner.h"

#include <algorithm>

// Steps measured: the current count's recent ones (one suffices before trying one thread less:
// that try is cheap), and per try.
constexpr size_t k_base_steps = 4, k_min_base_up = 2, k_probe_steps = 2;
// A try wins only by this margin: noise on a shared machine must not flip the count back and forth.
constexpr double k_win = 0.9;
// One thread more can be many times slower (the trouble the tuner exists for), so such a try stops
// after one step that is twice as slow, and the next waits until a step at that count costs at
// most about 1/k_up_cost_ratio of the time in between.
constexpr double k_give_up = 2.0, k_up_cost_ratio = 30;
// First wait before trying one thread less or more, and the longest wait after failures.
constexpr double k_first_down_ms = 500, k_first_up_ms = 1000, k_busy_start_up_ms = 5000, k_max_wait_ms = 60000;

static double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

thread_tuner::thread_tuner(int32_t n_max_in, int32_t n_start, bool adaptive_in)
    : n_max(std::max(1, n_max_in)), adaptive(adaptive_in), current(adaptive_in ? std::clamp(n_start, 1, n_max) : n_max) {
    // Starting below n_max means the cores were busy a moment ago: more threads wait a while.
    if (current < n_max) next_up_ms = up_wait_ms = k_busy_start_up_ms;
}

void thread_tuner::record(double ms, int32_t n_tokens, double now_ms) {
    if (!adaptive || n_tokens <= 0) return;
    const step s{ms / double(n_tokens), ms};
    if (probe_delta != 0) {
        probe.push_back(s);
        const bool hopeless = probe_delta > 0 && s.per_token > k_give_up * per_token(base);
        if (hopeless || probe.size() >= k_probe_steps) settle(now_ms);
        return;
    }
    base.push_back(s);
    if (base.size() > k_base_steps) base.erase(base.begin());
    if (current > 1 && now_ms >= next_down_ms) {
        probe_delta = -1;
    } else if (current < n_max && now_ms >= next_up_ms && base.size() >= k_min_base_up) {
        probe_delta = +1;
    }
}

double thread_tuner::per_token(const std::vector<step> & steps) {
    std::vector<double> v;
    for (const auto & s : steps) v.push_back(s.per_token);
    return median(v);
}

void thread_tuner::settle(double now_ms) {
    const bool down = probe_delta < 0;
    if (per_token(probe) < k_win * per_token(base)) {
        std::vector<double> left;  // step times at the count being left
        for (const auto & s : base) left.push_back(s.ms);
        current += probe_delta;
        base = probe;
        down_wait_ms = k_first_down_ms;
        // Going back up is tried once a step at the count left is small beside the wait.
        up_wait_ms = down ? std::clamp(k_up_cost_ratio * median(left), k_first_up_ms, k_max_wait_ms) : k_first_up_ms;
        next_down_ms = now_ms + down_wait_ms;
        next_up_ms = now_ms + up_wait_ms;
    } else if (down) {
        down_wait_ms = std::min(down_wait_ms * 2, k_max_wait_ms);
        next_down_ms = now_ms + down_wait_ms;
    } else {
        double spent = 0;
        for (const auto & s : probe) spent += s.ms;
        up_wait_ms = std::min(std::max(up_wait_ms * 2, k_up_cost_ratio * spent), k_max_wait_ms);
        next_up_ms = now_ms + up_wait_ms;
    }
    probe_delta = 0;
    probe.clear();
}
