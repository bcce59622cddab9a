// An owned llama_batch (llama_batch_init / llama_batch_free) holding one sequence id per token,
// and the views the engine decodes it in. Capacity is fixed at construction: the context's
// effective n_batch, so no add() can build a batch llama.cpp would assert on.
#pragma once

#include "llama.h"

#include <cstdint>
#include <stdexcept>

class token_batch {
public:
    explicit token_batch(int32_t capacity) : cap(capacity) {
        if (capacity < 1) throw std::runtime_error("token_batch: capacity must be at least 1");
        b = llama_batch_init(capacity, 0, 1);
        if (!b.token || !b.pos || !b.n_seq_id || !b.seq_id || !b.logits) {
            llama_batch_free(b);
            throw std::bad_alloc();
        }
    }
    ~token_batch() { llama_batch_free(b); }
    token_batch(const token_batch &) = delete;
    token_batch & operator=(const token_batch &) = delete;

    int32_t size() const { return b.n_tokens; }
    int32_t room() const { return cap - b.n_tokens; }
    void clear() { b.n_tokens = 0; }

    // Returns the row of the token; the caller checks room() first.
    int32_t add(llama_token token, llama_pos pos, llama_seq_id id, bool logits) {
        if (b.n_tokens >= cap) throw std::logic_error("token_batch: add() past capacity");
        const int32_t i = b.n_tokens++;
        b.token[i] = token;
        b.pos[i] = pos;
        b.n_seq_id[i] = 1;
        b.seq_id[i][0] = id;
        b.logits[i] = logits;
        return i;
    }

    llama_seq_id seq_at(int32_t i) const { return b.seq_id[i][0]; }

    // Tokens [start, start + n) as a batch of their own (shares this batch's memory).
    llama_batch view(int32_t start, int32_t n) const {
        return {n, b.token + start, nullptr, b.pos + start, b.n_seq_id + start, b.seq_id + start, b.logits + start};
    }

private:
    llama_batch b{};
    int32_t cap;
};
