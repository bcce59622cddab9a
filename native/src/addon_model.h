// JS face of a loaded model (AddonModel in src/engine/native.ts).
#pragma once

#include "model.h"

#include <napi.h>

class addon_model : public Napi::ObjectWrap<addon_model> {
public:
    static Napi::Function define(Napi::Env env);
    // loadModel(path, {gpuLayers, useMmap}): Promise<AddonModel>
    static Napi::Value load(const Napi::CallbackInfo & info);

    explicit addon_model(const Napi::CallbackInfo & info);

private:
    Napi::Value metadata(const Napi::CallbackInfo & info);
    Napi::Value tokenize(const Napi::CallbackInfo & info);
    Napi::Value detokenize(const Napi::CallbackInfo & info);
    Napi::Value create_engine(const Napi::CallbackInfo & info);
    Napi::Value kv_memory(const Napi::CallbackInfo & info);
    Napi::Value close(const Napi::CallbackInfo & info);

    const std::shared_ptr<model_handle> & ensure_open(Napi::Env env, const char * method) const;

    std::shared_ptr<model_handle> model;
};
