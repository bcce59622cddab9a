// Node-API module: backend loading, logging, and the AddonModel / AddonEngine classes.
// Its shape is described in src/engine/native.ts.
#include "addon_engine.h"
#include "addon_model.h"
#include "addon_sampling.h"
#include "addon_threads.h"
#include "args.h"
#include "llama_log.h"

#include "ggml-backend.h"
#include "llama.h"

#include <mutex>

static std::once_flag g_backends_once;

static const char * device_type_name(enum ggml_backend_dev_type t) {
    switch (t) {
        case GGML_BACKEND_DEVICE_TYPE_CPU:  return "cpu";
        case GGML_BACKEND_DEVICE_TYPE_GPU:  return "gpu";
        case GGML_BACKEND_DEVICE_TYPE_IGPU: return "igpu";
        default:                            return "accel";
    }
}

// loadBackends(dir, cpuModule): loads ggml's backend libraries once per process and returns the
// devices they expose. With cpuModule (the CPU backend compiled here, native/build/cpu-backend.mjs)
// that module is the CPU backend; otherwise everything in the prebuilt folder (CPU variants, CUDA,
// Vulkan...), where ggml picks the best CPU variant for this machine. A module that does not load
// falls back to the folder; `cpuModule` in the result says which was used.
static Napi::Value load_backends(const Napi::CallbackInfo & info) {
    Napi::Env env = info.Env();
    const std::string dir = args::string(env, info[0], "loadBackends: dir");
    const std::string cpu_module = args::string(env, info[1], "loadBackends: cpuModule");
    static bool module_loaded = false;
    std::call_once(g_backends_once, [&] {
        llama_log_install();
        module_loaded = !cpu_module.empty() && ggml_backend_load(cpu_module.c_str()) != nullptr;
        if (!module_loaded && !dir.empty()) ggml_backend_load_all_from_path(dir.c_str());
        llama_backend_init();
    });
    Napi::Array devices = Napi::Array::New(env);
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        ggml_backend_dev_t dev = ggml_backend_dev_get(i);
        size_t free = 0, total = 0;
        ggml_backend_dev_memory(dev, &free, &total);
        Napi::Object o = Napi::Object::New(env);
        o.Set("name", ggml_backend_dev_name(dev));
        o.Set("description", ggml_backend_dev_description(dev));
        o.Set("type", device_type_name(ggml_backend_dev_type(dev)));
        o.Set("memoryFree", double(free));
        o.Set("memoryTotal", double(total));
        devices.Set(uint32_t(i), o);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("devices", devices);
    out.Set("cpuModule", module_loaded);
    return out;
}

static Napi::Value set_log_level(const Napi::CallbackInfo & info) {
    llama_log_set_level(int(args::integer(info.Env(), info[0], "setLogLevel: level", 0, 4)));
    return info.Env().Undefined();
}

static Napi::Value system_info(const Napi::CallbackInfo & info) {
    return Napi::String::New(info.Env(), llama_print_system_info());
}

static Napi::Object init(Napi::Env env, Napi::Object exports) {
    exports.Set("loadBackends", Napi::Function::New(env, load_backends, "loadBackends"));
    exports.Set("setLogLevel", Napi::Function::New(env, set_log_level, "setLogLevel"));
    exports.Set("systemInfo", Napi::Function::New(env, system_info, "systemInfo"));
    exports.Set("loadModel", Napi::Function::New(env, addon_model::load, "loadModel"));
    exports.Set("sampleTokens", Napi::Function::New(env, sample_tokens, "sampleTokens"));
    exports.Set("samplingFields", Napi::Function::New(env, sampling_fields, "samplingFields"));
    exports.Set("cpuBudget", Napi::Function::New(env, cpu_budget_js, "cpuBudget"));
    exports.Set("tuneThreads", Napi::Function::New(env, tune_threads, "tuneThreads"));
    exports.Set("AddonModel", addon_model::define(env));
    exports.Set("AddonEngine", addon_engine::define(env));
    return exports;
}

NODE_API_MODULE(NODE_GYP_MODULE_NAME, init)
