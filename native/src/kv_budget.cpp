#include "kv_budget.h"

#include "ggml-backend.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

static std::string gib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.2f GiB", double(bytes) / double(1ULL << 30));
    return buf;
}

// MemAvailable from /proc/meminfo; 0 where unknown (the check is then skipped).
static uint64_t host_available_bytes() {
    std::ifstream f("/proc/meminfo");
    std::string key;
    uint64_t kb = 0;
    std::string unit;
    while (f >> key >> kb >> unit) {
        if (key == "MemAvailable:") return kb * 1024;
    }
    return 0;
}

// Free memory of the first GPU; 0 when there is none.
static uint64_t gpu_free_bytes() {
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        ggml_backend_dev_t dev = ggml_backend_dev_get(i);
        const auto type = ggml_backend_dev_type(dev);
        if (type != GGML_BACKEND_DEVICE_TYPE_GPU && type != GGML_BACKEND_DEVICE_TYPE_IGPU) continue;
        size_t free = 0, total = 0;
        ggml_backend_dev_memory(dev, &free, &total);
        return free;
    }
    return 0;
}

memory_facts kv_memory(const model_handle & model) {
    memory_facts m;
    if (model.gpu_layers() != 0) {
        m.free_bytes = gpu_free_bytes();
        m.on_gpu = m.free_bytes > 0;
        if (m.on_gpu) return m;
    }
    const uint64_t avail = host_available_bytes();
    const uint64_t weights = model.metadata().size_bytes;
    m.free_bytes = avail > weights ? avail - weights : 0;
    return m;
}

static uint32_t pad256(uint64_t n) {
    return uint32_t((n + 255) / 256 * 256);
}

uint32_t effective_n_ctx(const engine_params & p) {
    const uint32_t n_ctx = pad256(p.n_ctx);
    if (p.mode == kv_mode::pool) return n_ctx;
    return pad256(n_ctx / p.n_seq_max) * p.n_seq_max;
}

uint64_t kv_bytes_per_token(const model_handle & model, ggml_type kv_type) {
    switch (kv_type) {
        case GGML_TYPE_F32:  return model.kv_bytes_per_token(4, 1);
        case GGML_TYPE_Q8_0: return model.kv_bytes_per_token(34, 32);
        default:             return model.kv_bytes_per_token(2, 1);
    }
}

uint64_t kv_cache_bytes(const model_handle & model, const engine_params & params) {
    return uint64_t(effective_n_ctx(params)) * kv_bytes_per_token(model, params.kv_type);
}

void check_engine_params(const model_handle & model, const engine_params & p) {
    const uint32_t max_seq = uint32_t(llama_max_parallel_sequences());
    if (p.n_seq_max < 1 || p.n_seq_max > max_seq) {
        throw std::runtime_error("max_sequences must be between 1 and " + std::to_string(max_seq) + ", got " + std::to_string(p.n_seq_max));
    }
    if (p.n_batch < 1) throw std::runtime_error("n_batch must be at least 1");
    if (p.n_ctx < 2 * p.n_seq_max) {
        throw std::runtime_error("n_ctx " + std::to_string(p.n_ctx) + " leaves no room for " + std::to_string(p.n_seq_max) +
                                 " sequences; raise n_ctx or lower max_sequences");
    }
    // Every generating sequence puts one token (one output row) into each batch: fewer rows than
    // sequences is GGML_ASSERT(n_outputs_max <= ...). (llama.cpp also caps n_batch at n_ctx,
    // which the check above keeps at 2 * max_sequences or more.)
    if (p.n_batch < p.n_seq_max) {
        throw std::runtime_error("n_batch " + std::to_string(p.n_batch) + " is below max_sequences " + std::to_string(p.n_seq_max) +
                                 ": each decode step takes one token from every sequence; raise n_batch to at least " + std::to_string(p.n_seq_max) +
                                 " or lower max_sequences");
    }
    if (p.mode == kv_mode::pool && (llama_model_is_recurrent(model.get()) || llama_model_is_hybrid(model.get()))) {
        throw std::runtime_error("kv_mode pool needs an attention-only model, and this one keeps recurrent state per sequence; use kv_mode=streams");
    }
    if (p.kv_type != GGML_TYPE_F32 && p.kv_type != GGML_TYPE_F16 && p.kv_type != GGML_TYPE_BF16 && p.kv_type != GGML_TYPE_Q8_0) {
        throw std::runtime_error("kv_type must be f32, f16, bf16 or q8_0");
    }
    if (p.kv_type == GGML_TYPE_Q8_0 && p.flash_attn == LLAMA_FLASH_ATTN_TYPE_DISABLED) {
        throw std::runtime_error("kv_type q8_0 needs flash attention (llama.cpp cannot quantise the V cache without it); set flash_attn to on or auto");
    }
    if (p.kv_type == GGML_TYPE_Q8_0) {
        const auto [k, v] = model.head_dims();
        if (k % 32 != 0 || v % 32 != 0) {
            throw std::runtime_error("kv_type q8_0 needs attention heads whose size is a multiple of 32, and this model's are " +
                                     std::to_string(k) + "/" + std::to_string(v) + "; use kv_type f16 or bf16");
        }
    }
    const uint64_t need = kv_cache_bytes(model, p);
    const memory_facts mem = kv_memory(model);
    // Leave a tenth for compute buffers and everything else in the process.
    if (mem.free_bytes > 0 && need > mem.free_bytes / 10 * 9) {
        throw std::runtime_error("the KV cache needs " + gib(need) + " (n_ctx " + std::to_string(effective_n_ctx(p)) + ") but only " +
                                 gib(mem.free_bytes) + " of " + (mem.on_gpu ? "GPU" : "system") +
                                 " memory is available beside the weights; lower n_ctx or max_sequences, or use kv_type q8_0");
    }
}
