#include "addon_model.h"

#include "addon_engine.h"
#include "args.h"
#include "kv_budget.h"
#include "promise_worker.h"

static Napi::FunctionReference model_constructor;

Napi::Function addon_model::define(Napi::Env env) {
    Napi::Function f = DefineClass(env, "AddonModel", {
        InstanceMethod<&addon_model::metadata>("metadata"),
        InstanceMethod<&addon_model::tokenize>("tokenize"),
        InstanceMethod<&addon_model::detokenize>("detokenize"),
        InstanceMethod<&addon_model::create_engine>("createEngine"),
        InstanceMethod<&addon_model::kv_memory>("kvMemory"),
        InstanceMethod<&addon_model::close>("close"),
    });
    model_constructor = Napi::Persistent(f);
    model_constructor.SuppressDestruct();
    return f;
}

addon_model::addon_model(const Napi::CallbackInfo & info) : Napi::ObjectWrap<addon_model>(info) {
    if (info.Length() != 1 || !info[0].IsExternal()) {
        throw Napi::TypeError::New(info.Env(), "AddonModel cannot be constructed directly; use loadModel()");
    }
    model = *info[0].As<Napi::External<std::shared_ptr<model_handle>>>().Data();
}

Napi::Value addon_model::load(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    model_load_params p;
    p.path = args::string(env, info[0], "loadModel: path");
    Napi::Object o = args::object(env, info[1], "loadModel: options");
    p.gpu_layers = int32_t(args::field<int64_t>(o, "gpuLayers", 0, [&](Napi::Value v) { return args::integer(env, v, "loadModel: options.gpuLayers", -1, 100000); }));
    p.use_mmap = args::field<bool>(o, "useMmap", true, [&](Napi::Value v) { return args::boolean(env, v, "loadModel: options.useMmap"); });
    p.repack = args::field<bool>(o, "repackWeights", true, [&](Napi::Value v) { return args::boolean(env, v, "loadModel: options.repackWeights"); });
    p.cpu_only = args::field<bool>(o, "cpuOnly", false, [&](Napi::Value v) { return args::boolean(env, v, "loadModel: options.cpuOnly"); });
    auto result = std::make_shared<std::shared_ptr<model_handle>>();
    return promise_worker::run(
        env, [p, result] { *result = model_handle::load(p); },
        [result](Napi::Env env) -> Napi::Value {
            return model_constructor.New({Napi::External<std::shared_ptr<model_handle>>::New(env, result.get())});
        });
}

const std::shared_ptr<model_handle> & addon_model::ensure_open(Napi::Env env, const char * method) const {
    if (!model) throw Napi::Error::New(env, std::string(method) + ": the model is closed");
    return model;
}

Napi::Value addon_model::metadata(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const model_metadata & m = ensure_open(env, "metadata")->metadata();
    Napi::Object o = Napi::Object::New(env);
    o.Set("architecture", m.architecture);
    o.Set("name", m.name);
    o.Set("description", m.description);
    o.Set("fileType", m.file_type);
    o.Set("parameterCount", double(m.n_params));
    o.Set("sizeBytes", double(m.size_bytes));
    o.Set("contextLength", m.n_ctx_train);
    o.Set("layerCount", m.n_layer);
    o.Set("embeddingLength", m.n_embd);
    o.Set("vocabSize", m.n_vocab);
    o.Set("chatTemplate", m.chat_template);
    o.Set("bosToken", m.bos);
    o.Set("eosToken", m.eos);
    o.Set("addBos", m.add_bos);
    o.Set("bosText", m.bos >= 0 ? model->token_piece(m.bos, true) : "");
    o.Set("eosText", m.eos >= 0 ? model->token_piece(m.eos, true) : "");
    Napi::Array eog = Napi::Array::New(env, m.eog.size());
    for (size_t i = 0; i < m.eog.size(); ++i) eog.Set(uint32_t(i), m.eog[i]);
    o.Set("eogTokens", eog);
    return o;
}

// tokenize(text, addSpecial): Int32Array; special tokens written in the text are parsed.
Napi::Value addon_model::tokenize(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const auto & m = ensure_open(env, "tokenize");
    const std::string text = args::string(env, info[0], "tokenize: text");
    const bool add_special = args::boolean(env, info[1], "tokenize: addSpecial");
    std::vector<llama_token> tokens;
    try {
        tokens = m->tokenize(text, add_special, true);
    } catch (const std::exception & e) {
        throw Napi::Error::New(env, std::string("tokenize: ") + e.what());
    }
    Napi::Int32Array out = Napi::Int32Array::New(env, tokens.size());
    std::copy(tokens.begin(), tokens.end(), out.Data());
    return out;
}

// detokenize(tokens: Int32Array, special: boolean): string
Napi::Value addon_model::detokenize(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const auto & m = ensure_open(env, "detokenize");
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
        args::fail(env, "detokenize: tokens", "an Int32Array");
    }
    auto arr = info[0].As<Napi::Int32Array>();
    const bool special = args::boolean(env, info[1], "detokenize: special");
    std::vector<llama_token> tokens(arr.Data(), arr.Data() + arr.ElementLength());
    try {
        return Napi::String::New(env, m->detokenize(tokens, special));
    } catch (const std::exception & e) {
        throw Napi::RangeError::New(env, std::string("detokenize: ") + e.what());
    }
}

static ggml_type parse_kv_type(Napi::Env env, const std::string & s) {
    if (s == "f32") return GGML_TYPE_F32;
    if (s == "f16") return GGML_TYPE_F16;
    if (s == "bf16") return GGML_TYPE_BF16;
    if (s == "q8_0") return GGML_TYPE_Q8_0;
    args::fail(env, "createEngine: options.kvType", "one of f32, f16, bf16, q8_0");
}

static llama_flash_attn_type parse_flash_attn(Napi::Env env, const std::string & s) {
    if (s == "auto") return LLAMA_FLASH_ATTN_TYPE_AUTO;
    if (s == "on") return LLAMA_FLASH_ATTN_TYPE_ENABLED;
    if (s == "off") return LLAMA_FLASH_ATTN_TYPE_DISABLED;
    args::fail(env, "createEngine: options.flashAttn", "one of auto, on, off");
}

static kv_mode parse_kv_mode(Napi::Env env, const std::string & s) {
    if (s == "streams") return kv_mode::streams;
    if (s == "pool") return kv_mode::pool;
    args::fail(env, "createEngine: options.kvMode", "one of streams, pool");
}

// kvMemory(kvType): what the KV cache can be sized from (see kv_budget.h).
Napi::Value addon_model::kv_memory(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const auto & m = ensure_open(env, "kvMemory");
    const ggml_type type = parse_kv_type(env, args::string(env, info[0], "kvMemory: kvType"));
    const memory_facts mem = ::kv_memory(*m);
    Napi::Object o = Napi::Object::New(env);
    o.Set("kvBytesPerToken", double(kv_bytes_per_token(*m, type)));
    o.Set("freeBytes", double(mem.free_bytes));
    o.Set("onGpu", mem.on_gpu);
    o.Set("recurrent", llama_model_is_recurrent(m->get()) || llama_model_is_hybrid(m->get()));
    return o;
}

// createEngine({nCtx, maxSequences, nBatch, threads, kvType, flashAttn, kvMode, deterministic}, onEvent): Promise<AddonEngine>
Napi::Value addon_model::create_engine(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const auto & m = ensure_open(env, "createEngine");
    Napi::Object o = args::object(env, info[0], "createEngine: options");
    if (!info[1].IsFunction()) args::fail(env, "createEngine: onEvent", "a function");
    engine_params p;
    auto u32 = [&](const char * key, uint32_t fallback, int64_t lo, int64_t hi) {
        return uint32_t(args::field<int64_t>(o, key, fallback, [&](Napi::Value v) { return args::integer(env, v, std::string("createEngine: options.") + key, lo, hi); }));
    };
    p.n_ctx = u32("nCtx", p.n_ctx, 1, 1LL << 30);
    p.n_seq_max = u32("maxSequences", p.n_seq_max, 1, 1024);
    p.n_batch = u32("nBatch", p.n_batch, 1, 1 << 20);
    p.n_threads = int32_t(u32("threads", 0, 0, 1024));
    p.kv_type = parse_kv_type(env, args::field<std::string>(o, "kvType", "f16", [&](Napi::Value v) { return args::string(env, v, "createEngine: options.kvType"); }));
    p.flash_attn = parse_flash_attn(env, args::field<std::string>(o, "flashAttn", "auto", [&](Napi::Value v) { return args::string(env, v, "createEngine: options.flashAttn"); }));
    p.deterministic = args::field<bool>(o, "deterministic", false, [&](Napi::Value v) { return args::boolean(env, v, "createEngine: options.deterministic"); });
    p.mode = parse_kv_mode(env, args::field<std::string>(o, "kvMode", "streams", [&](Napi::Value v) { return args::string(env, v, "createEngine: options.kvMode"); }));
    return addon_engine::create(env, m, p, info[1].As<Napi::Function>());
}

// Engines made from this model keep it alive; closing only drops this handle's reference.
Napi::Value addon_model::close(const Napi::CallbackInfo & info) {
    model.reset();
    return info.Env().Undefined();
}
