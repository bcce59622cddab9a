// JS face of the thread defaults: the CPU budget the engine reads, and the thread tuner run on
// given step times (for tests: its decisions without a machine that is really loaded).
#pragma once

#include <napi.h>

// cpuBudget(): {logical, physical, source}.
Napi::Value cpu_budget_js(const Napi::CallbackInfo & info);

// tuneThreads(nMax, nStart, msPerToken: number[] (index: threads), tokensPerStep, steps):
// Int32Array of the thread count the tuner used for each step, on a clock that advances by the
// steps' own times.
Napi::Value tune_threads(const Napi::CallbackInfo & info);
