// JS face of the sampler: the `sampling` object of a request (vLLM's SamplingParams in snake_case,
// read field by field from the SAMPLING_FIELDS table), the table itself, and sampleTokens, which
// draws from a given row of logits exactly as the engine would (for tests and tools; see native.ts).
#pragma once

#include "sampler.h"

#include <napi.h>

#include <string>

// Reads every SAMPLING_FIELDS key that is present (absent, undefined and null keep the default);
// a TypeError names an unknown key, or the bad field under `where` and its bounds.
sampling_params sampling_from_js(Napi::Env env, Napi::Value v, const std::string & where);

// samplingFields(): the SAMPLING_FIELDS table as [{name, kind, min, max, minExclusive}].
Napi::Value sampling_fields(const Napi::CallbackInfo & info);

// sampleTokens(logits: Float32Array, sampling, draws, sampleIndex?): Promise<Int32Array> of
// independent draws by one sample's sampler (its penalties see no generated tokens), drawn off
// the JS thread.
Napi::Value sample_tokens(const Napi::CallbackInfo & info);
