// Checks an engine configuration before llama.cpp allocates it. llama.cpp clears the whole KV
// buffer right after allocating it, so on an over-committing OS an impossible n_ctx would not fail
// cleanly but get the process killed; sizes are therefore checked against available memory first.
#pragma once

#include "engine.h"

// Throws std::runtime_error saying what to change.
void check_engine_params(const model_handle & model, const engine_params & params);

// Bytes of K+V cache the configuration needs.
uint64_t kv_cache_bytes(const model_handle & model, const engine_params & params);
