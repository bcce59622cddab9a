// A loaded GGUF model: checked before llama.cpp sees it, with the metadata the harness records
// and the tokenizer the engine uses. Shared (std::shared_ptr) by every engine made from it.
#pragma once

#include "llama-cpp.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct model_load_params {
    std::string path;
    int32_t     gpu_layers = 0;  // -1: all
    bool        use_mmap   = true;
    bool        repack     = true;  // llama.cpp's extra buffer types: weights repacked for faster CPU kernels
    bool        cpu_only   = false; // no GPU device at all, even in a GPU build (gpu=cpu)
};

struct model_metadata {
    std::string architecture;
    std::string name;
    std::string description;  // llama.cpp's one-line summary, e.g. "qwen2 ?B F16"
    std::string file_type;    // weight type from the GGUF, e.g. "F16", "Q4_K - Medium"
    uint64_t    n_params    = 0;
    uint64_t    size_bytes  = 0;
    int32_t     n_ctx_train = 0;
    int32_t     n_layer     = 0;
    int32_t     n_embd      = 0;
    int32_t     n_vocab     = 0;
    std::string chat_template;
    llama_token bos = LLAMA_TOKEN_NULL;
    llama_token eos = LLAMA_TOKEN_NULL;
    bool        add_bos = false;
    std::vector<llama_token> eog;
};

class model_handle {
public:
    // Throws std::runtime_error with a message that names the file and the cause.
    static std::shared_ptr<model_handle> load(const model_load_params & params);

    llama_model * get() const { return model.get(); }
    const llama_vocab * vocab() const { return llama_model_get_vocab(model.get()); }
    const model_metadata & metadata() const { return meta; }
    const std::string & path() const { return load_params.path; }
    int32_t gpu_layers() const { return load_params.gpu_layers; }
    bool repacks_weights() const { return load_params.repack; }

    std::vector<llama_token> tokenize(const std::string & text, bool add_special, bool parse_special) const;
    std::string token_piece(llama_token token, bool special) const;
    std::string detokenize(const std::vector<llama_token> & tokens, bool special) const;
    std::string meta_string(const char * key) const;
    // Sizes of one attention head's key and value vectors.
    std::pair<uint64_t, uint64_t> head_dims() const;
    // Bytes of K+V cache per token of context for a cache element type (the engine's memory check).
    uint64_t kv_bytes_per_token(size_t type_size_num, size_t type_size_den) const;

private:
    model_handle() = default;
    void read_metadata();

    model_load_params load_params;
    llama_model_ptr model;
    model_metadata meta;
};
