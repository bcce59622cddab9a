# The default build (npm install): our addon only, compiled against the llama.cpp headers of the
# source node-llama-cpp ships and linked to its prebuilt shared libraries, one module per installed
# variant (cpu, cuda, vulkan). No cmake, seconds not minutes. `npm run build:native -- --from-source`
# builds llama.cpp itself instead (native/CMakeLists.txt).
{
  "variables": {
    "llama_src": "<!(node native/build/llama-source.mjs)",
    "has_cuda": "<!(node native/build/prebuilt.mjs has cuda)",
    "has_vulkan": "<!(node native/build/prebuilt.mjs has vulkan)",
  },
  "target_defaults": {
    # -fno-trapping-math (clang's default): lets GCC vectorise the sampler's select-heavy loops
    # (native/src/logit_kernels.cpp); nothing here reads floating-point exception flags.
    "cflags_cc": ["-std=c++17", "-O3", "-fno-trapping-math", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")",
      "<(llama_src)/include",
      "<(llama_src)/ggml/include",
    ],
    "xcode_settings": {"GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17"},
  },
  "targets": [
    {
      "target_name": "skythought_engine",
      "type": "static_library",
      "sources": [
        "native/src/addon_engine.cpp",
        "native/src/addon_model.cpp",
        "native/src/addon_sampling.cpp",
        "native/src/addon_threads.cpp",
        "native/src/cpu_budget.cpp",
        "native/src/cpu_threadpool.cpp",
        "native/src/engine.cpp",
        "native/src/engine_steps.cpp",
        "native/src/kv_budget.cpp",
        "native/src/llama_log.cpp",
        "native/src/logit_kernels.cpp",
        "native/src/model.cpp",
        "native/src/sampler.cpp",
        "native/src/sampling_pool.cpp",
        "native/src/stop_strings.cpp",
        "native/src/thread_tuner.cpp",
      ],
    },
    {
      "target_name": "skythought_cpu",
      "sources": ["native/src/binding.cpp"],
      "dependencies": ["skythought_engine"],
      "libraries": ["<!@(node native/build/prebuilt.mjs libs cpu)"],
    },
  ],
  "conditions": [
    ["has_cuda==1", {"targets": [{
      "target_name": "skythought_cuda",
      "sources": ["native/src/binding.cpp"],
      "dependencies": ["skythought_engine"],
      "libraries": ["<!@(node native/build/prebuilt.mjs libs cuda)"],
    }]}],
    ["has_vulkan==1", {"targets": [{
      "target_name": "skythought_vulkan",
      "sources": ["native/src/binding.cpp"],
      "dependencies": ["skythought_engine"],
      "libraries": ["<!@(node native/build/prebuilt.mjs libs vulkan)"],
    }]}],
  ],
}
