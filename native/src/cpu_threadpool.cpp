#include "cpu_threadpool.h"

#include "ggml-backend.h"

cpu_threadpool_ptr make_cpu_threadpool(int32_t n_threads) {
    ggml_backend_reg_t cpu = ggml_backend_reg_by_name("CPU");
    if (!cpu) return {};
    using new_fn = ggml_threadpool_t (*)(ggml_threadpool_params *);
    using free_fn = void (*)(ggml_threadpool_t);
    auto make = reinterpret_cast<new_fn>(ggml_backend_reg_get_proc_address(cpu, "ggml_threadpool_new"));
    auto release = reinterpret_cast<free_fn>(ggml_backend_reg_get_proc_address(cpu, "ggml_threadpool_free"));
    if (!make || !release) return {};
    ggml_threadpool_params params = ggml_threadpool_params_default(n_threads);
    params.poll = 0;
    return cpu_threadpool_ptr(make(&params), cpu_threadpool_deleter{release});
}
