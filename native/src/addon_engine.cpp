#include "addon_engine.h"

#include "addon_sampling.h"
#include "args.h"
#include "kv_budget.h"
#include "promise_worker.h"

Napi::FunctionReference addon_engine::constructor;

static const char * finish_name(finish_reason f) {
    switch (f) {
        case FINISH_STOP:   return "stop";
        case FINISH_LENGTH: return "length";
        case FINISH_CONTEXT: return "context";
        case FINISH_ABORT:  return "abort";
        default:            return "error";
    }
}

// Runs on the JS thread for each batch the engine thread posted.
void engine_call_js(Napi::Env env, Napi::Function callback, engine_tsfn_context *, engine_event * ev) {
    std::unique_ptr<engine_event> owned(ev);
    if (!env || !callback) return;  // the environment is shutting down
    Napi::Array done = Napi::Array::New(env, ev->done.size());
    for (size_t i = 0; i < ev->done.size(); ++i) {
        const completion & c = ev->done[i];
        Napi::Object o = Napi::Object::New(env);
        o.Set("job", c.job);
        o.Set("index", c.index);
        o.Set("sample", c.sample);
        o.Set("text", Napi::String::New(env, c.text));
        o.Set("finishReason", finish_name(c.finish));
        if (!c.error.empty()) o.Set("error", c.error);
        o.Set("promptTokens", c.prompt_tokens);
        o.Set("completionTokens", c.completion_tokens);
        o.Set("preemptions", c.preemptions);
        o.Set("tAdmitMs", c.t_admit_ms);
        o.Set("tFirstTokenMs", c.t_first_ms);
        o.Set("tEndMs", c.t_end_ms);
        done.Set(uint32_t(i), o);
    }
    Napi::Object progress = Napi::Object::New(env);
    progress.Set("active", ev->progress.active);
    progress.Set("queued", ev->progress.queued);
    progress.Set("promptTokens", double(ev->progress.prompt_tokens));
    progress.Set("generatedTokens", double(ev->progress.generated_tokens));
    progress.Set("tokensPerSec", ev->progress.tokens_per_sec);
    progress.Set("preemptions", double(ev->progress.preemptions));
    progress.Set("kvCellsUsed", ev->progress.kv_cells_used);
    Napi::Object event = Napi::Object::New(env);
    event.Set("completions", done);
    event.Set("progress", progress);
    if (!ev->failure.empty()) {
        Napi::Array jobs = Napi::Array::New(env, ev->failed_jobs.size());
        for (size_t i = 0; i < ev->failed_jobs.size(); ++i) jobs.Set(uint32_t(i), ev->failed_jobs[i]);
        event.Set("failure", ev->failure);
        event.Set("failedJobs", jobs);
    }
    try {
        callback.Call({event});
    } catch (const Napi::Error & e) {
        // Surface the listener's exception as an uncaught JS exception rather than unwinding into C.
        e.ThrowAsJavaScriptException();
    }
}

Napi::Function addon_engine::define(Napi::Env env) {
    Napi::Function f = DefineClass(env, "AddonEngine", {
        InstanceMethod<&addon_engine::submit>("submit"),
        InstanceMethod<&addon_engine::cancel>("cancel"),
        InstanceMethod<&addon_engine::ref>("ref"),
        InstanceMethod<&addon_engine::unref>("unref"),
        InstanceMethod<&addon_engine::close>("close"),
        InstanceMethod<&addon_engine::info>("info"),
        InstanceMethod<&addon_engine::inject_fault>("injectFault"),
    });
    constructor = Napi::Persistent(f);
    constructor.SuppressDestruct();
    return f;
}

struct engine_init {
    std::shared_ptr<engine> eng;
    engine_tsfn tsfn;
};

Napi::Value addon_engine::create(Napi::Env env, std::shared_ptr<model_handle> model, const engine_params & params, Napi::Function on_event) {
    auto init = std::make_shared<engine_init>();
    init->tsfn = engine_tsfn::New(env, on_event, "skythought-engine", 0, 1);
    // Idle engines must not keep the process alive; generate() refs while it waits.
    init->tsfn.Unref(env);
    engine_tsfn tsfn = init->tsfn;
    return promise_worker::run(
        env,
        [init, model, params, tsfn] {
            init->eng = std::make_shared<engine>(model, params, [tsfn](engine_event && ev) mutable {
                auto * data = new engine_event(std::move(ev));
                if (tsfn.NonBlockingCall(data) != napi_ok) delete data;
            });
        },
        [init](Napi::Env env) -> Napi::Value {
            return constructor.New({Napi::External<engine_init>::New(env, init.get())});
        },
        // The context failed, or the JS object could not be made: stop the thread, free the TSFN.
        [init] {
            if (init->eng) init->eng->close();
            init->eng.reset();
            init->tsfn.Release();
        });
}

addon_engine::addon_engine(const Napi::CallbackInfo & info) : Napi::ObjectWrap<addon_engine>(info) {
    if (info.Length() != 1 || !info[0].IsExternal()) {
        throw Napi::TypeError::New(info.Env(), "AddonEngine cannot be constructed directly; use model.createEngine()");
    }
    engine_init * init = info[0].As<Napi::External<engine_init>>().Data();
    eng = init->eng;
    tsfn = init->tsfn;
}

// A collected engine that was never closed: stop its thread so the context is freed.
addon_engine::~addon_engine() {
    if (eng) {
        eng->close();
        tsfn.Release();
    }
}

engine & addon_engine::ensure_open(Napi::Env env, const char * method) const {
    if (!eng) throw Napi::Error::New(env, std::string(method) + ": the engine is closed");
    return *eng;
}

static gen_request read_request(Napi::Env env, Napi::Value v, uint32_t job, const std::string & where) {
    Napi::Object o = args::object(env, v, where);
    gen_request r;
    r.job = job;
    r.index = uint32_t(args::integer(env, o.Get("index"), where + ".index", 0, UINT32_MAX));
    r.prompt = args::string(env, o.Get("prompt"), where + ".prompt");
    r.n = int32_t(args::integer(env, o.Get("n"), where + ".n", 1, 1 << 20));
    if (o.Has("samples") && !o.Get("samples").IsUndefined()) {
        Napi::Value v = o.Get("samples");
        if (!v.IsArray() || v.As<Napi::Array>().Length() == 0) args::fail(env, where + ".samples", "a non-empty array of sample indices");
        auto a = v.As<Napi::Array>();
        std::vector<bool> seen(size_t(r.n), false);
        for (uint32_t i = 0; i < a.Length(); ++i) {
            const std::string at = where + ".samples[" + std::to_string(i) + "]";
            const auto k = int32_t(args::integer(env, a.Get(i), at, 0, r.n - 1));
            if (seen[size_t(k)]) args::fail(env, at, "distinct from the other sample indices");
            seen[size_t(k)] = true;
            r.samples.push_back(k);
        }
    }
    r.add_special = args::field<bool>(o, "addSpecial", false, [&](Napi::Value x) { return args::boolean(env, x, where + ".addSpecial"); });
    r.sampling = sampling_from_js(env, o.Get("sampling"), where + ".sampling");
    return r;
}

// submit(job, requests): completions arrive later through onEvent, tagged with `job`.
Napi::Value addon_engine::submit(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    engine & e = ensure_open(env, "submit");
    const auto job = uint32_t(args::integer(env, info[0], "submit: job", 0, UINT32_MAX));
    if (!info[1].IsArray()) args::fail(env, "submit: requests", "an array");
    auto arr = info[1].As<Napi::Array>();
    std::vector<gen_request> requests;
    requests.reserve(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); ++i) {
        requests.push_back(read_request(env, arr.Get(i), job, "submit: requests[" + std::to_string(i) + "]"));
    }
    e.submit(std::move(requests));
    return env.Undefined();
}

Napi::Value addon_engine::cancel(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    ensure_open(env, "cancel").cancel(uint32_t(args::integer(env, info[0], "cancel: job", 0, UINT32_MAX)));
    return env.Undefined();
}

Napi::Value addon_engine::ref(const Napi::CallbackInfo & info) {
    if (eng) tsfn.Ref(info.Env());
    return info.Env().Undefined();
}

Napi::Value addon_engine::unref(const Napi::CallbackInfo & info) {
    if (eng) tsfn.Unref(info.Env());
    return info.Env().Undefined();
}

// close(): Promise<void>. Unfinished work is delivered as "abort" before the promise settles.
Napi::Value addon_engine::close(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    if (!eng) {
        auto d = Napi::Promise::Deferred::New(env);
        d.Resolve(env.Undefined());
        return d.Promise();
    }
    std::shared_ptr<engine> e = std::move(eng);
    eng.reset();
    engine_tsfn t = tsfn;
    return promise_worker::run(
        env, [e] { e->close(); },
        [e, t](Napi::Env env) mutable -> Napi::Value {
            t.Release();
            return env.Undefined();
        });
}

Napi::Value addon_engine::info(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const engine & e = ensure_open(env, "info");
    const engine_params & p = e.params();
    const engine_limits & lim = e.limits();
    Napi::Object o = Napi::Object::New(env);
    o.Set("kvMode", p.mode == kv_mode::pool ? "pool" : "streams");
    o.Set("nCtx", lim.n_ctx);
    o.Set("nCtxPerSequence", lim.n_ctx_seq);
    o.Set("contextTokens", lim.context());
    o.Set("maxSequences", lim.n_seq_max);
    o.Set("nBatch", lim.n_batch);
    o.Set("threads", p.n_threads);
    o.Set("threadsAdaptive", e.threads_adaptive());
    o.Set("kvCacheBytes", double(kv_cache_bytes(*e.model_ref(), p)));
    o.Set("flashAttn", e.flash_attn());
    o.Set("deterministic", p.deterministic);
    return o;
}

// injectFault(where: "loop" | "sampling", after): test hook, see engine::inject_fault.
Napi::Value addon_engine::inject_fault(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    engine & e = ensure_open(env, "injectFault");
    const std::string where = args::string(env, info[0], "injectFault: where");
    if (where != "loop" && where != "sampling") args::fail(env, "injectFault: where", "\"loop\" or \"sampling\"");
    const auto after = int32_t(args::integer(env, info[1], "injectFault: after", 0, 1 << 30));
    e.inject_fault(where == "loop" ? engine_fault::loop : engine_fault::sampling, after);
    return env.Undefined();
}
