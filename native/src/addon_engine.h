// JS face of an engine (AddonEngine in src/engine/native.ts). Finished completions and progress
// reach JS through one thread-safe function, in batches.
#pragma once

#include "engine.h"

#include <napi.h>

struct engine_tsfn_context {};
void engine_call_js(Napi::Env env, Napi::Function callback, engine_tsfn_context * ctx, engine_event * ev);
using engine_tsfn = Napi::TypedThreadSafeFunction<engine_tsfn_context, engine_event, engine_call_js>;

class addon_engine : public Napi::ObjectWrap<addon_engine> {
public:
    static Napi::Function define(Napi::Env env);
    static Napi::FunctionReference constructor;

    // Called by AddonModel.createEngine: builds the context on a worker thread.
    static Napi::Value create(Napi::Env env, std::shared_ptr<model_handle> model, const engine_params & params, Napi::Function on_event);

    explicit addon_engine(const Napi::CallbackInfo & info);
    ~addon_engine() override;

private:
    Napi::Value submit(const Napi::CallbackInfo & info);
    Napi::Value cancel(const Napi::CallbackInfo & info);
    Napi::Value ref(const Napi::CallbackInfo & info);
    Napi::Value unref(const Napi::CallbackInfo & info);
    Napi::Value close(const Napi::CallbackInfo & info);
    Napi::Value info(const Napi::CallbackInfo & info);
    Napi::Value inject_fault(const Napi::CallbackInfo & info);

    engine & ensure_open(Napi::Env env, const char * method) const;

    std::shared_ptr<engine> eng;
    engine_tsfn tsfn;
};
