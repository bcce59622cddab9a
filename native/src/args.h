// Checked reads of JS arguments: a wrong call from JS gets a TypeError that names the argument
// path (e.g. "submit: requests[3].n must be a positive integer"), never an unchecked As<>().
#pragma once

#include <napi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace args {

[[noreturn]] inline void fail(Napi::Env env, const std::string & where, const std::string & what) {
    throw Napi::TypeError::New(env, where + " must be " + what);
}

// The shortest text that reads back as d: "1000000", "0.5", "9007199254740991".
inline std::string number_text(double d) {
    char buf[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof(buf), "%.*g", precision, d);
        if (std::strtod(buf, nullptr) == d) break;
    }
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e17) std::snprintf(buf, sizeof(buf), "%.0f", d);
    return buf;
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
    if (!std::isfinite(d) || d < lo || d > hi) fail(env, where, "a number in [" + number_text(lo) + ", " + number_text(hi) + "]");
    return d;
}

inline int64_t integer(Napi::Env env, Napi::Value v, const std::string & where, int64_t lo, int64_t hi) {
    if (!v.IsNumber()) fail(env, where, "an integer");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::floor(d) != d || d < double(lo) || d > double(hi)) {
        fail(env, where, "an integer in [" + number_text(double(lo)) + ", " + number_text(double(hi)) + "]");
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
