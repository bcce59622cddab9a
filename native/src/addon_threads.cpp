#include "addon_threads.h"

#include "args.h"
#include "cpu_budget.h"
#include "thread_tuner.h"

#include <vector>

Napi::Value cpu_budget_js(const Napi::CallbackInfo & info) {
    const cpu_budget b = read_cpu_budget();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("logical", b.logical);
    o.Set("physical", b.physical);
    o.Set("source", b.source);
    return o;
}

Napi::Value tune_threads(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const auto n_max = int32_t(args::integer(env, info[0], "tuneThreads: nMax", 1, 1024));
    const auto n_start = int32_t(args::integer(env, info[1], "tuneThreads: nStart", 1, n_max));
    if (!info[2].IsArray()) args::fail(env, "tuneThreads: msPerToken", "an array of numbers, one per thread count from 0");
    auto arr = info[2].As<Napi::Array>();
    if (arr.Length() <= uint32_t(n_max)) args::fail(env, "tuneThreads: msPerToken", "an array with an entry for every thread count up to nMax");
    std::vector<double> cost(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); ++i) cost[i] = args::number(env, arr.Get(i), "tuneThreads: msPerToken[" + std::to_string(i) + "]", 0, 1e9);
    const auto tokens = int32_t(args::integer(env, info[3], "tuneThreads: tokensPerStep", 1, 1 << 20));
    const auto steps = uint32_t(args::integer(env, info[4], "tuneThreads: steps", 0, 1 << 24));
    thread_tuner tuner(n_max, n_start, true);
    auto out = Napi::Int32Array::New(env, steps);
    double clock = 0;
    for (uint32_t i = 0; i < steps; ++i) {
        const int32_t n = tuner.threads();
        const double ms = cost[size_t(n)] * tokens;
        clock += ms;
        tuner.record(ms, tokens, clock);
        out[i] = n;
    }
    return out;
}
