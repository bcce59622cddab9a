// The one async pattern of the addon: run `work` off the JS thread, then settle a promise on it.
// Work throws std::exception to reject; `done` builds the resolved value on the JS thread;
// `on_fail` (optional) runs on the JS thread whenever the promise rejects.
// State the work touches is held by shared_ptr in the closures, so a collected JS wrapper cannot
// pull it away mid-flight.
#pragma once

#include <napi.h>

#include <functional>
#include <utility>

class promise_worker : public Napi::AsyncWorker {
public:
    using work_fn = std::function<void()>;
    using done_fn = std::function<Napi::Value(Napi::Env)>;
    using fail_fn = std::function<void()>;

    static Napi::Promise run(Napi::Env env, work_fn work, done_fn done, fail_fn on_fail = nullptr) {
        auto * w = new promise_worker(env, std::move(work), std::move(done), std::move(on_fail));
        Napi::Promise promise = w->deferred.Promise();
        w->Queue();
        return promise;
    }

protected:
    void Execute() override {
        try {
            work();
        } catch (const std::exception & e) {
            SetError(e.what());
        } catch (...) {
            SetError("unknown native error");
        }
    }

    // A `done` that throws rejects the promise like a failed `work`, and on_fail releases what
    // `work` made (a started thread, a thread-safe function) as it would have then.
    void OnOK() override {
        try {
            deferred.Resolve(done(Env()));
        } catch (const Napi::Error & e) {
            if (on_fail) on_fail();
            deferred.Reject(e.Value());
        }
    }

    void OnError(const Napi::Error & e) override {
        if (on_fail) on_fail();
        deferred.Reject(e.Value());
    }

private:
    promise_worker(Napi::Env env, work_fn work, done_fn done, fail_fn on_fail)
        : Napi::AsyncWorker(env, "skythought"), deferred(Napi::Promise::Deferred::New(env)),
          work(std::move(work)), done(std::move(done)), on_fail(std::move(on_fail)) {}

    Napi::Promise::Deferred deferred;
    work_fn work;
    done_fn done;
    fail_fn on_fail;
};
