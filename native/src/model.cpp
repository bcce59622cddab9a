#include "model.h"

#include "llama_log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

// llama.cpp's loader reports a bad file through its log and a null pointer (or, for some
// malformed files, an assertion), so the cheap checks happen here with a clear message first.
static void check_gguf_file(const std::string & path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        throw std::runtime_error("model file " + path + " cannot be read: " + std::strerror(errno) + "; check the path passed to --model");
    }
    if (!S_ISREG(st.st_mode)) {
        throw std::runtime_error("model path " + path + " is not a regular file; pass a .gguf file");
    }
    char magic[4] = {};
    std::ifstream f(path, std::ios::binary);
    if (!f.read(magic, 4)) {
        throw std::runtime_error("model file " + path + " is too short to be a GGUF file (" + std::to_string(st.st_size) + " bytes); re-download it");
    }
    if (std::memcmp(magic, "GGUF", 4) != 0) {
        throw std::runtime_error("model file " + path + " is not a GGUF file (it does not start with \"GGUF\"); convert it with llama.cpp's convert_hf_to_gguf.py or pick a .gguf file");
    }
}

std::shared_ptr<model_handle> model_handle::load(const model_load_params & params) {
    check_gguf_file(params.path);

    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = params.gpu_layers < 0 ? 999 : params.gpu_layers;
    if (!params.use_mmap) mp.load_mode = LLAMA_LOAD_MODE_NONE;
    mp.use_extra_bufts = params.repack;
    // n_gpu_layers = 0 alone keeps a GPU build's devices in the model, and llama.cpp then still
    // offloads large batches' matrix products to them (op_offload); an empty device list is the CPU.
    static ggml_backend_dev_t no_devices[] = {nullptr};
    if (params.cpu_only) mp.devices = no_devices;

    llama_log_clear_last_error();
    llama_model_ptr model(llama_model_load_from_file(params.path.c_str(), mp));
    if (!model) {
        std::string why = llama_log_last_error();
        throw std::runtime_error("could not load model " + params.path + (why.empty() ? "" : ": " + why) +
                                 "; the file may be truncated or from an incompatible converter");
    }

    std::shared_ptr<model_handle> handle(new model_handle());
    handle->load_params = params;
    handle->model = std::move(model);
    handle->read_metadata();
    return handle;
}

std::string model_handle::meta_string(const char * key) const {
    char buf[512];
    const int32_t n = llama_model_meta_val_str(model.get(), key, buf, sizeof(buf));
    if (n < 0) return "";
    if (size_t(n) < sizeof(buf)) return std::string(buf, size_t(n));
    std::string big(size_t(n) + 1, '\0');
    llama_model_meta_val_str(model.get(), key, big.data(), big.size());
    big.resize(size_t(n));
    return big;
}

void model_handle::read_metadata() {
    const llama_model * m = model.get();
    const llama_vocab * v = vocab();
    meta.architecture = meta_string("general.architecture");
    meta.name = meta_string("general.name");
    char desc[256];
    llama_model_desc(m, desc, sizeof(desc));
    meta.description = desc;
    meta.file_type = llama_ftype_name(llama_model_ftype(m));
    meta.n_params = llama_model_n_params(m);
    meta.size_bytes = llama_model_size(m);
    meta.n_ctx_train = llama_model_n_ctx_train(m);
    meta.n_layer = llama_model_n_layer(m);
    meta.n_embd = llama_model_n_embd(m);
    meta.n_vocab = llama_vocab_n_tokens(v);
    const char * tmpl = llama_model_chat_template(m, nullptr);
    meta.chat_template = tmpl ? tmpl : "";
    meta.bos = llama_vocab_bos(v);
    meta.eos = llama_vocab_eos(v);
    meta.add_bos = llama_vocab_get_add_bos(v);
    for (llama_token t = 0; t < meta.n_vocab; ++t) {
        if (llama_vocab_is_eog(v, t)) meta.eog.push_back(t);
    }
}

std::vector<llama_token> model_handle::tokenize(const std::string & text, bool add_special, bool parse_special) const {
    if (text.size() > size_t(INT32_MAX) / 2) throw std::runtime_error("text too long to tokenize (" + std::to_string(text.size()) + " bytes)");
    std::vector<llama_token> tokens(text.size() + 2);
    int32_t n = llama_tokenize(vocab(), text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()), add_special, parse_special);
    if (n < 0) {
        tokens.resize(size_t(-n));
        n = llama_tokenize(vocab(), text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()), add_special, parse_special);
        if (n < 0) throw std::runtime_error("tokenization failed");
    }
    tokens.resize(size_t(n));
    return tokens;
}

std::string model_handle::token_piece(llama_token token, bool special) const {
    char buf[128];
    int32_t n = llama_token_to_piece(vocab(), token, buf, sizeof(buf), 0, special);
    if (n >= 0) return std::string(buf, size_t(n));
    std::string big(size_t(-n), '\0');
    n = llama_token_to_piece(vocab(), token, big.data(), int32_t(big.size()), 0, special);
    big.resize(n > 0 ? size_t(n) : 0);
    return big;
}

std::string model_handle::detokenize(const std::vector<llama_token> & tokens, bool special) const {
    for (llama_token t : tokens) {
        if (t < 0 || t >= meta.n_vocab) throw std::runtime_error("token id " + std::to_string(t) + " is outside the vocabulary (0.." + std::to_string(meta.n_vocab - 1) + ")");
    }
    std::string out(tokens.size() * 8 + 16, '\0');
    int32_t n = llama_detokenize(vocab(), tokens.data(), int32_t(tokens.size()), out.data(), int32_t(out.size()), false, special);
    if (n < 0) {
        out.resize(size_t(-n));
        n = llama_detokenize(vocab(), tokens.data(), int32_t(tokens.size()), out.data(), int32_t(out.size()), false, special);
    }
    out.resize(n > 0 ? size_t(n) : 0);
    return out;
}

std::pair<uint64_t, uint64_t> model_handle::head_dims() const {
    const int32_t n_head = std::max(1, llama_model_n_head(model.get()));
    auto dim = [&](const char * what) {
        const std::string s = meta_string((meta.architecture + ".attention." + what).c_str());
        return s.empty() ? uint64_t(meta.n_embd / n_head) : uint64_t(std::stoull(s));
    };
    return {dim("key_length"), dim("value_length")};
}

uint64_t model_handle::kv_bytes_per_token(size_t type_size_num, size_t type_size_den) const {
    const auto [k, v] = head_dims();
    const uint64_t n_head_kv = uint64_t(std::max(1, llama_model_n_head_kv(model.get())));
    return uint64_t(meta.n_layer) * n_head_kv * (k + v) * type_size_num / type_size_den;
}
