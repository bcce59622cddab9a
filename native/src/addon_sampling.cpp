#include "addon_sampling.h"

#include "args.h"
#include "promise_worker.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

// The bounds of one SAMPLING_FIELDS row, as the reader checks them.
struct field_bounds {
    double lo, hi;
    bool lo_open;
    std::string text() const {
        return std::string(lo_open ? "(" : "[") + args::number_text(lo) + ", " + args::number_text(hi) + "]";
    }
};

static double bounded_number(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds & b, bool integer) {
    if (!v.IsNumber()) args::fail(env, where, integer ? "an integer" : "a number");
    const double d = v.As<Napi::Number>().DoubleValue();
    const bool in = std::isfinite(d) && (b.lo_open ? d > b.lo : d >= b.lo) && d <= b.hi;
    if (!in || (integer && std::floor(d) != d)) args::fail(env, where, std::string(integer ? "an integer" : "a number") + " in " + b.text());
    return d;
}

static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds & b, float & out) {
    out = float(bounded_number(env, v, where, b, false));
}

static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds & b, int32_t & out) {
    out = int32_t(bounded_number(env, v, where, b, true));
}

static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds & b, uint64_t & out) {
    out = uint64_t(bounded_number(env, v, where, b, true));
}

static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds &, bool & out) {
    out = args::boolean(env, v, where);
}

static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds &, stop_strings_list & out) {
    out = args::strings(env, v, where);
}

// OpenAI's shape: {"<token id>": bias}.
static void read_value(Napi::Env env, Napi::Value v, const std::string & where, const field_bounds & b, token_biases & out) {
    Napi::Object o = args::object(env, v, where);
    Napi::Array keys = o.GetPropertyNames();
    out.clear();
    for (uint32_t i = 0; i < keys.Length(); ++i) {
        const std::string key = keys.Get(i).ToString().Utf8Value();
        const bool digits = !key.empty() && key.size() <= 10 && key.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoll(key) > INT32_MAX) args::fail(env, where + " key \"" + key + "\"", "a token id (a non-negative integer)");
        out.emplace_back(llama_token(std::stoll(key)), float(bounded_number(env, o.Get(key), where + "[\"" + key + "\"]", b, false)));
    }
    std::sort(out.begin(), out.end());
}

template <typename T>
static void read_field(Napi::Env env, Napi::Object s, const char * key, const std::string & where, const field_bounds & b, T & out) {
    if (!s.Has(key)) return;
    Napi::Value v = s.Get(key);
    if (v.IsUndefined() || v.IsNull()) return;
    read_value(env, v, where + "." + key, b, out);
}

sampling_params sampling_from_js(Napi::Env env, Napi::Value v, const std::string & where) {
    Napi::Object s = args::object(env, v, where);
    Napi::Array keys = s.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); ++i) {
        const std::string key = keys.Get(i).ToString().Utf8Value();
        const bool known = std::any_of(k_sampling_fields.begin(), k_sampling_fields.end(), [&](const sampling_field & f) { return key == f.name; });
        if (!known) {
            std::string names;
            for (const auto & f : k_sampling_fields) names += std::string(names.empty() ? "" : ", ") + f.name;
            throw Napi::TypeError::New(env, where + ": unknown sampling parameter \"" + key + "\"; the parameters are " + names);
        }
    }
    sampling_params p;
#define SAMPLING_READ(name, type, def, lo, hi, lo_open) read_field(env, s, #name, where, field_bounds{lo, hi, lo_open}, p.name);
    SAMPLING_FIELDS(SAMPLING_READ)
#undef SAMPLING_READ
    const std::string bad = p.validate();
    if (!bad.empty()) throw Napi::TypeError::New(env, where + ": " + bad);
    return p;
}

Napi::Value sampling_fields(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env, k_sampling_fields.size());
    for (size_t i = 0; i < k_sampling_fields.size(); ++i) {
        const sampling_field & f = k_sampling_fields[i];
        Napi::Object o = Napi::Object::New(env);
        o.Set("name", f.name);
        o.Set("kind", f.kind);
        o.Set("min", f.lo);
        o.Set("max", f.hi);
        o.Set("minExclusive", f.lo_open);
        out.Set(uint32_t(i), o);
    }
    return out;
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
    const std::string bad_token = params.check_vocab(int32_t(row.ElementLength()));
    if (!bad_token.empty()) throw Napi::TypeError::New(env, "sampleTokens: sampling: " + bad_token);
    const auto draws = size_t(args::integer(env, info[2], "sampleTokens: draws", 0, 1 << 26));
    const auto sample_index = info.Length() > 3 && !info[3].IsUndefined()
                                  ? uint64_t(args::integer(env, info[3], "sampleTokens: sampleIndex", 0, (1LL << 53) - 1))
                                  : uint64_t(0);
    auto tokens = std::make_shared<std::vector<int32_t>>(draws);
    return promise_worker::run(
        env,
        [=] {
            seq_sampler sampler(params, sample_index, {});
            sampler_scratch scratch;
            for (auto & t : *tokens) t = sampler.sample(logits->data(), int32_t(logits->size()), scratch);
        },
        [tokens](Napi::Env e) {
            auto out = Napi::Int32Array::New(e, tokens->size());
            std::copy(tokens->begin(), tokens->end(), out.Data());
            return out;
        });
}
