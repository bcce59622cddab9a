// Passes over rows of logits. Sampling runs them for every sequence at every step, on the engine
// thread while the compute threads wait, so each is a lane-wise loop without library calls or
// early exits, which the compiler turns into SIMD code.
#pragma once

#include <cstdint>

// The first index of the largest value (NaNs never win); 0 when none is above -inf.
int32_t argmax(const float * x, int32_t n);

// w[i] = exp((x[i] - top) * inv_t) for x[i] <= top: each token's probability relative to the
// best token's after temperature, within 3e-7; 0 below e^-87 and for NaN.
void relative_weights(const float * x, int32_t n, float top, float inv_t, float * w);

// Writes to `out` (room for n) the indices i, in order, with x[i] >= level, and returns how many.
// Blocks without one are skipped whole; the others are compacted without branches.
int32_t indices_at_least(const float * x, int32_t n, float level, int32_t * out);

// How many x[i] are >= level, and the sum of their w[i].
void count_at_least(const float * x, const float * w, int32_t n, float level, int32_t & count, double & mass);
