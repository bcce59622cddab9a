// Per-sample token sampling: logit_bias, min_tokens, penalties, temperature, top-k, top-p, min-p,
// and a seeded RNG that belongs to one sample, so a sample's tokens never depend on which other
// sequences share its batch.
#pragma once

#include "llama.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using stop_strings_list = std::vector<std::string>;
using token_biases = std::vector<std::pair<llama_token, float>>;  // sorted by token, each token once

// Every sampling parameter, declared once: the snake_case name (the JS key, vLLM's and OpenAI's
// name), the C++ type, the default, and the bounds [lo, hi] of its value ((lo, hi] when lo_open;
// for logit_bias the bounds of each bias; unused for stop). From this one table come the struct's
// members, the JS reader with its bounds (addon_sampling.cpp) and the table the addon exports
// (samplingFields()), which test/engine/samplingContract.test.ts checks against the zod schema in
// src/sampling/params.ts. The defaults are vLLM's, except temperature: greedy unless asked.
// top_k <= 0 is off (vLLM spells it -1).
#define SAMPLING_FIELDS(X)                                                                     \
    X(temperature,        float,             0.0f,  0.0,    1e6,              false)          \
    X(top_p,              float,             1.0f,  0.0,    1.0,              true)           \
    X(top_k,              int32_t,           0,     -1.0,   2147483647.0,     false)          \
    X(min_p,              float,             0.0f,  0.0,    1.0,              false)          \
    X(repetition_penalty, float,             1.0f,  0.0,    1e6,              true)           \
    X(presence_penalty,   float,             0.0f,  -2.0,   2.0,              false)          \
    X(frequency_penalty,  float,             0.0f,  -2.0,   2.0,              false)          \
    X(seed,               uint64_t,          0,     0.0,    9007199254740991.0, false)        \
    X(max_tokens,         int32_t,           16,    1.0,    2147483647.0,     false)          \
    X(min_tokens,         int32_t,           0,     0.0,    2147483647.0,     false)          \
    X(ignore_eos,         bool,              false, 0.0,    1.0,              false)          \
    X(stop,               stop_strings_list, {},    0.0,    0.0,              false)          \
    X(logit_bias,         token_biases,      {},    -100.0, 100.0,            false)

struct sampling_params {
#define SAMPLING_MEMBER(name, type, def, lo, hi, lo_open) type name = def;
    SAMPLING_FIELDS(SAMPLING_MEMBER)
#undef SAMPLING_MEMBER

    // Rules between fields (each field's own bounds are checked as it is read): empty when valid,
    // else what is wrong (the caller turns it into a TypeError).
    std::string validate() const;
    // Empty when every token the parameters name is in a vocabulary of n_vocab tokens.
    std::string check_vocab(int32_t n_vocab) const;
    bool is_greedy() const { return temperature <= 0.0f; }
    bool has_penalties() const { return repetition_penalty != 1.0f || presence_penalty != 0.0f || frequency_penalty != 0.0f; }
};

// One row of the table, for the addon's samplingFields().
struct sampling_field {
    const char * name;
    const char * kind;  // "number", "integer", "boolean", "strings" or "token_biases"
    double lo, hi;
    bool lo_open;
};
extern const std::vector<sampling_field> k_sampling_fields;

// xoshiro256** seeded through splitmix64: fully specified, so results match across platforms
// (std::uniform_real_distribution is implementation-defined).
class sample_rng {
public:
    sample_rng(uint64_t seed, uint64_t sample_index);
    double next_unit();  // uniform in [0, 1)

private:
    uint64_t s[4];
};

// Reused across samples and steps by whoever samples (the engine thread owns one): a 150k-token
// vocabulary needs a few MB of candidates, which a sampler per sequence would each hold.
struct sampler_scratch {
    struct candidate {
        llama_token id;
        float logit;
        float weight;  // probability relative to the best token's
    };
    std::vector<llama_token> ids;     // candidates, in token order: the first n_cands
    size_t n_cands = 0;
    std::vector<float> cand_logits;   // their logits
    std::vector<float> weights;       // their probabilities relative to the best token's
    std::vector<candidate> work;      // the top-k and top-p selections
    std::vector<float> adjusted;      // a row of logits after logit_bias, min_tokens and the penalties
};

// What a sampler reads besides its parameters, owned by the request and the model.
struct sampler_context {
    const std::vector<llama_token> * prompt_unique = nullptr;  // sorted unique prompt tokens (repetition penalty)
    const std::vector<llama_token> * eog = nullptr;            // end-of-generation tokens (held back by min_tokens)
};

class seq_sampler {
public:
    seq_sampler(const sampling_params & params, uint64_t sample_index, sampler_context context);

    // Picks the next token from one row of logits (not modified).
    llama_token sample(const float * logits, int32_t n_vocab, sampler_scratch & scratch);
    // Records a generated token (penalties, min_tokens).
    void accept(llama_token token);
    // Whether end-of-generation tokens and stop strings may end the sample yet (min_tokens).
    bool may_stop() const { return n_accepted >= params.min_tokens; }

private:
    bool adjusts_logits() const;
    void adjust_logits(std::vector<float> & logits) const;
    llama_token sample_from(const float * logits, int32_t n_vocab, sampler_scratch & scratch);
    float top_p_floor(const sampler_scratch & s, float top, float floor, double & total) const;
    llama_token draw_in_token_order(std::vector<sampler_scratch::candidate> & kept, float min_weight);

    sampling_params params;
    sample_rng rng;
    sampler_context context;
    int32_t n_accepted = 0;
    std::unordered_map<llama_token, int32_t> output_counts;
};
