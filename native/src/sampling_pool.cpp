#include "sampling_pool.h"

#include <algorithm>

sampling_pool::sampling_pool(int32_t n_threads) : scratches(size_t(n_threads > 1 ? n_threads : 1)) {
    for (size_t w = 1; w < scratches.size(); ++w) workers.emplace_back([this, w] { worker(w); });
}

sampling_pool::~sampling_pool() {
    {
        std::lock_guard<std::mutex> lock(mtx);
        stopping = true;
    }
    wake.notify_all();
    for (auto & t : workers) t.join();
}

void sampling_pool::run(size_t n, const job_fn & fn, size_t max_threads) {
    if (workers.empty() || n <= 1 || max_threads <= 1) {
        for (size_t i = 0; i < n; ++i) fn(i, scratches[0]);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mtx);
        job = &fn;
        n_jobs = n;
        next.store(0);
        helpers = std::min(workers.size(), max_threads - 1);
        busy = helpers;
        failure = nullptr;
        ++generation;
    }
    wake.notify_all();
    claim(scratches[0]);
    std::unique_lock<std::mutex> lock(mtx);
    finished.wait(lock, [&] { return busy == 0; });
    job = nullptr;
    if (failure) std::rethrow_exception(failure);
}

void sampling_pool::worker(size_t w) {
    uint64_t seen = 0;
    while (true) {
        {
            std::unique_lock<std::mutex> lock(mtx);
            wake.wait(lock, [&] { return stopping || generation != seen; });
            if (stopping) return;
            seen = generation;
            if (w > helpers) continue;
        }
        claim(scratches[w]);
        std::lock_guard<std::mutex> lock(mtx);
        if (--busy == 0) finished.notify_one();
    }
}

// Takes indices until none is left: draws differ in cost (greedy, top-p, penalties), so no
// thread is handed a fixed share.
void sampling_pool::claim(sampler_scratch & scratch) {
    try {
        for (size_t i = next.fetch_add(1); i < n_jobs; i = next.fetch_add(1)) (*job)(i, scratch);
    } catch (...) {
        std::lock_guard<std::mutex> lock(mtx);
        if (!failure) failure = std::current_exception();
        next.store(n_jobs);
    }
}
