// Checked reads of JS arguments: a wrong call from JS gets a TypeError that names the argument
// path (e.g. "submit: requests[3].n must be a positive integer"), never an unchecked As<>().
#pragma once

#include <napi.h>

#include <cmath>
#include <string>
#include <vector>

namespace args {

[[noreturn]] inline void fail(Napi::Env env, const std::string & where, const std::string & what) {
    throw Napi::TypeError::New(env, where + " must be " + what);
}

inline Napi::Object object(Napi::Env env, Napi::Value v, const std::string & where) {
    if (!v.IsObject() || v.IsArray()) fail(env, where, "an object");
    return v.As<Napi::Object>();
}

inline std::string string(Napi::Env env, Napi::Value v, const std::string & where) {
    if (!v.IsString()) fail(env, where, "a string");
    return v.As<Napi::String>().Utf8Value();
}

inline double number(Napi::Env env, Napi::Value v, const std::string & where, double lo, double hi) {
    if (!v.IsNumber()) fail(env, where, "a number");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < lo || d > hi) fail(env, where, "a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return d;
}

inline int64_t integer(Napi::Env env, Napi::Value v, const std::string & where, int64_t lo, int64_t hi) {
    if (!v.IsNumber()) fail(env, where, "an integer");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::floor(d) != d || d < double(lo) || d > double(hi)) {
        fail(env, where, "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return int64_t(d);
}

inline bool boolean(Napi::Env env, Napi::Value v, const std::string & where) {
    if (!v.IsBoolean()) fail(env, where, "a boolean");
    return v.As<Napi::Boolean>().Value();
}

// Optional object fields: `get` is called only when the key is present and not undefined.
template <typename T, typename F>
T field(Napi::Object o, const char * key, T fallback, F get) {
    if (!o.Has(key)) return fallback;
    Napi::Value v = o.Get(key);
    return v.IsUndefined() ? fallback : get(v);
}

inline std::vector<std::string> strings(Napi::Env env, Napi::Value v, const std::string & where) {
    if (!v.IsArray()) fail(env, where, "an array of strings");
    auto a = v.As<Napi::Array>();
    std::vector<std::string> out;
    for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(string(env, a.Get(i), where + "[" + std::to_string(i) + "]"));
    return out;
}

}  // namespace args
