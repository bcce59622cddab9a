// JS face of the sampler: the `sampling` options of a request, and sampleTokens, which draws from
// a given row of logits exactly as the engine would (for tests and tools; see native.ts).
#pragma once

#include "sampler.h"

#include <napi.h>

#include <string>

// Reads {temperature, topP, topK, minP, repetitionPenalty, presencePenalty, frequencyPenalty,
// seed}; a TypeError names the bad field under `where`.
sampling_params sampling_from_js(Napi::Env env, Napi::Value v, const std::string & where);

// sampleTokens(logits: Float32Array, sampling, draws, sampleIndex?): Promise<Int32Array> of
// independent draws by one sample's sampler (its penalties see no generated tokens), drawn off
// the JS thread.
Napi::Value sample_tokens(const Napi::CallbackInfo & info);
