#include "addon_sampling.h"

#include "args.h"
#include "promise_worker.h"

#include <algorithm>
#include <memory>
#include <vector>

sampling_params sampling_from_js(Napi::Env env, Napi::Value v, const std::string & where) {
    Napi::Object s = args::object(env, v, where);
    auto num = [&](const char * key, float fallback, double lo, double hi) {
        return float(args::field<double>(s, key, fallback, [&](Napi::Value x) { return args::number(env, x, where + "." + key, lo, hi); }));
    };
    sampling_params p;
    p.temperature = num("temperature", 0.0f, 0.0, 1e6);
    p.top_p = num("topP", 1.0f, 0.0, 1.0);
    p.top_k = int32_t(args::field<int64_t>(s, "topK", 0, [&](Napi::Value x) { return args::integer(env, x, where + ".topK", -1, INT32_MAX); }));
    p.min_p = num("minP", 0.0f, 0.0, 1.0);
    p.repetition_penalty = num("repetitionPenalty", 1.0f, 1e-6, 1e6);
    p.presence_penalty = num("presencePenalty", 0.0f, -1e6, 1e6);
    p.frequency_penalty = num("frequencyPenalty", 0.0f, -1e6, 1e6);
    p.seed = uint64_t(args::field<int64_t>(s, "seed", 0, [&](Napi::Value x) { return args::integer(env, x, where + ".seed", 0, (1LL << 53) - 1); }));
    const std::string bad = p.validate();
    if (!bad.empty()) throw Napi::TypeError::New(env, where + ": " + bad);
    return p;
}

Napi::Value sample_tokens(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
        args::fail(env, "sampleTokens: logits", "a Float32Array");
    }
    auto row = info[0].As<Napi::Float32Array>();
    if (row.ElementLength() == 0 || row.ElementLength() > size_t(INT32_MAX)) args::fail(env, "sampleTokens: logits", "a non-empty Float32Array");
    auto logits = std::make_shared<std::vector<float>>(row.Data(), row.Data() + row.ElementLength());
    const sampling_params params = sampling_from_js(env, info[1], "sampleTokens: sampling");
    const auto draws = size_t(args::integer(env, info[2], "sampleTokens: draws", 0, 1 << 26));
    const auto sample_index = info.Length() > 3 && !info[3].IsUndefined()
                                  ? uint64_t(args::integer(env, info[3], "sampleTokens: sampleIndex", 0, (1LL << 53) - 1))
                                  : uint64_t(0);
    auto tokens = std::make_shared<std::vector<int32_t>>(draws);
    return promise_worker::run(
        env,
        [=] {
            seq_sampler sampler(params, sample_index, nullptr);
            sampler_scratch scratch;
            for (auto & t : *tokens) t = sampler.sample(logits->data(), int32_t(logits->size()), scratch);
        },
        [tokens](Napi::Env e) {
            auto out = Napi::Int32Array::New(e, tokens->size());
            std::copy(tokens->begin(), tokens->end(), out.Data());
            return out;
        });
}
