// ggml's CPU compute threads, kept for the engine's life instead of created at every decode, and
// sleeping between decodes (polling level 0) instead of spinning: the engine samples on the CPU
// right after each decode, and threads left out by the thread tuner must give their cores back.
// The CPU backend is a library loaded at run time in the prebuilt install, so its threadpool
// functions are looked up through the backend registry.
#pragma once

#include "ggml.h"

#include <memory>

struct cpu_threadpool_deleter {
    void (*free_fn)(ggml_threadpool_t) = nullptr;
    void operator()(ggml_threadpool_t tp) const {
        if (tp && free_fn) free_fn(tp);
    }
};
using cpu_threadpool_ptr = std::unique_ptr<ggml_threadpool, cpu_threadpool_deleter>;

// A threadpool of n_threads sleeping workers; empty when the CPU backend offers none.
cpu_threadpool_ptr make_cpu_threadpool(int32_t n_threads);
