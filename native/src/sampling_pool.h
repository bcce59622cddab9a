// The draws of one decode step, spread over threads. Each sequence's sampler owns its RNG, so
// which thread draws for which sequence changes nothing; and the compute threads are idle while
// sampling runs, so it can use as many. The calling thread takes part.
#pragma once

#include "sampler.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class sampling_pool {
public:
    using job_fn = std::function<void(size_t index, sampler_scratch & scratch)>;

    explicit sampling_pool(int32_t n_threads);  // n_threads - 1 workers besides the caller
    ~sampling_pool();
    sampling_pool(const sampling_pool &) = delete;
    sampling_pool & operator=(const sampling_pool &) = delete;

    // Calls job(i, scratch) once for every i < n, on at most max_threads threads (the caller
    // included), and returns when all have returned; rethrows the first exception a job threw.
    void run(size_t n, const job_fn & job, size_t max_threads);

private:
    void worker(size_t w);
    void claim(sampler_scratch & scratch);

    std::vector<sampler_scratch> scratches;  // [0] is the caller's
    std::vector<std::thread> workers;

    std::mutex mtx;
    std::condition_variable wake;
    std::condition_variable finished;
    uint64_t generation = 0;
    bool stopping = false;
    size_t busy = 0;      // workers not yet done with this generation
    size_t helpers = 0;   // workers that take part in this generation: [1, helpers]
    const job_fn * job = nullptr;
    size_t n_jobs = 0;
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
};
