// Checks an engine configuration before llama.cpp allocates it, and the memory facts the KV
// cache is sized from. llama.cpp clears the whole KV buffer right after allocating it, so on an
// over-committing OS an impossible n_ctx would not fail cleanly but get the process killed; sizes
// are therefore checked against available memory first. Combinations llama.cpp would assert on
// (n_batch below max_sequences, pool on a recurrent model) are refused here with the fix.
#pragma once

#include "engine.h"

// Throws std::runtime_error saying what to change.
void check_engine_params(const model_handle & model, const engine_params & params);

// KV cells llama.cpp will allocate: it pads n_ctx to 256 cells, and with streams each stream too.
uint32_t effective_n_ctx(const engine_params & params);

// Bytes of K+V cache per token for a cache element type.
uint64_t kv_bytes_per_token(const model_handle & model, ggml_type kv_type);

// Bytes of K+V cache the configuration needs.
uint64_t kv_cache_bytes(const model_handle & model, const engine_params & params);

// Memory the KV cache may come from: free VRAM of the first GPU when layers are offloaded, else
// the host's MemAvailable less the weights (memory-mapped weights sit in the page cache, which
// MemAvailable counts as free). 0 when unknown.
struct memory_facts {
    uint64_t free_bytes = 0;
    bool on_gpu = false;
};
memory_facts kv_memory(const model_handle & model);
