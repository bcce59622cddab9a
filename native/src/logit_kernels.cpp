#include "logit_kernels.h"

#include <cmath>
#include <cstring>

constexpr int32_t k_lanes = 16;

int32_t argmax(const float * x, int32_t n) {
    // Lane indices are kept as floats (exact below 2^24) so every lane operation is on floats.
    float lane_max[k_lanes];
    float lane_at[k_lanes];
    for (int32_t j = 0; j < k_lanes; ++j) {
        lane_max[j] = -INFINITY;
        lane_at[j] = float(j);
    }
    int32_t i = 0;
    if (n < (1 << 24)) {
        for (; i + k_lanes <= n; i += k_lanes) {
            const float base = float(i);
            for (int32_t j = 0; j < k_lanes; ++j) {
                const bool better = x[i + j] > lane_max[j];
                lane_max[j] = better ? x[i + j] : lane_max[j];
                lane_at[j] = better ? base + float(j) : lane_at[j];
            }
        }
    }
    float best = -INFINITY;
    int32_t best_at = 0;
    for (int32_t j = 0; j < k_lanes; ++j) {
        const auto at = int32_t(lane_at[j]);
        if (lane_max[j] > best || (lane_max[j] == best && best > -INFINITY && at < best_at)) {
            best = lane_max[j];
            best_at = at;
        }
    }
    for (; i < n; ++i) {
        if (x[i] > best) {
            best = x[i];
            best_at = i;
        }
    }
    return best_at;
}

// e^x for x <= 0, within 3e-7 relative: 2^n * e^r with |r| <= ln2/2 and a degree-6 Taylor
// polynomial for e^r, in plain float and integer operations (std::exp is a call the vectoriser
// cannot inline, and a float-to-int conversion may trap, which stops GCC). Adding 1.5 * 2^23
// rounds x / ln2 to the integer n and leaves n in the low bits of the sum. NaN and x < -87 give 0.
static inline float exp_nonpositive(float x) {
    const bool in_range = x >= -87.0f;
    const float xc = in_range ? x : -87.0f;
    const float shift = 12582912.0f;
    const float shifted = xc * 1.44269504088896341f + shift;
    const float n = shifted - shift;
    const float r = (xc - n * 0.693145751953125f) - n * 1.42860682030941723212e-6f;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t shifted_bits, shift_bits;
    std::memcpy(&shifted_bits, &shifted, sizeof shifted_bits);
    std::memcpy(&shift_bits, &shift, sizeof shift_bits);
    const int32_t scale_bits = (shifted_bits - shift_bits + 127) << 23;
    float scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    return p * scale * (in_range ? 1.0f : 0.0f);
}

void relative_weights(const float * x, int32_t n, float top, float inv_t, float * w) {
    for (int32_t i = 0; i < n; ++i) w[i] = exp_nonpositive((x[i] - top) * inv_t);
}

int32_t indices_at_least(const float * x, int32_t n, float level, int32_t * out) {
    int32_t m = 0;
    int32_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) {
        bool any = false;
        for (int32_t j = 0; j < k_lanes; ++j) any |= x[i + j] >= level;
        if (!any) continue;
        for (int32_t j = 0; j < k_lanes; ++j) {
            out[m] = i + j;
            m += x[i + j] >= level ? 1 : 0;
        }
    }
    for (; i < n; ++i) {
        out[m] = i;
        m += x[i] >= level ? 1 : 0;
    }
    return m;
}

void count_at_least(const float * x, const float * w, int32_t n, float level, int32_t & count, double & mass) {
    // Counts in float lanes (exact up to 2^24 per lane) keep the loop on one element width.
    float c[k_lanes] = {};
    float m[k_lanes] = {};
    const int32_t blocks = n / k_lanes;
    for (int32_t b = 0; b < blocks; ++b) {
        const float * xb = x + b * k_lanes;
        const float * wb = w + b * k_lanes;
        for (int32_t j = 0; j < k_lanes; ++j) {
            const float in = xb[j] >= level ? 1.0f : 0.0f;
            c[j] += in;
            m[j] += in * wb[j];
        }
    }
    int64_t hits = 0;
    double total = 0.0;
    for (int32_t j = 0; j < k_lanes; ++j) {
        hits += int64_t(c[j]);
        total += m[j];
    }
    for (int32_t i = blocks * k_lanes; i < n; ++i) {
        if (x[i] >= level) {
            hits++;
            total += w[i];
        }
    }
    count = int32_t(hits);
    mass = total;
}
