// The steps of one slot-loop iteration (engine::step), in the order they run.
#include "engine.h"

#include "engine_state.h"

#include <algorithm>

// Gives free slots to waiting samples: preempted ones first, in line order, then new requests in
// arrival order. The samples of one request admitted together form a group: the first prefills,
// the others wait and then share (pool) or copy (streams) its prompt cells (fan_out). In the pool a
// sample is admitted only while free cells hold what it must prefill.
void engine::admit() {
    auto free_slot = [&]() -> seq * {
        for (auto & s : seqs) {
            if (!s.busy()) return &s;
        }
        return nullptr;
    };
    while (!preempted.empty()) {
        seq * s = free_slot();
        if (!s || !room_to_admit(preempted.front()->feed_size())) return;
        start(*s, std::move(preempted.front()), ++admissions);
        preempted.pop_front();
    }
    while (!pending.empty()) {
        auto req = pending.front();
        if (!room_to_admit(int32_t(req->tokens.size()))) return;
        seq * parent = nullptr;
        for (seq * s = free_slot(); s && req->waiting() > 0; s = free_slot()) {
            start(*s, std::make_unique<sample_run>(req, req->samples[req->next_sample++], &model->metadata().eog), ++admissions);
            if (parent) {
                s->state = SEQ_WAIT_PARENT;
                parent->children.push_back(int32_t(s - seqs.data()));
            } else {
                parent = s;
            }
        }
        if (!parent) return;
        if (req->waiting() == 0) pending.pop_front();
    }
}

void engine::start(seq & s, std::unique_ptr<sample_run> run, uint64_t order) {
    if (run->t_admit < 0) run->t_admit = now_ms();
    s.run = std::move(run);
    s.state = SEQ_PREFILL;
    s.order = order;
    s.n_past = s.n_shared = 0;
    s.share_group = 0;
    s.i_batch = -1;
}

// Pool: whether `cells` more fit beside what running sequences hold and still have to prefill,
// with one cell per slot to spare so the next step's decode tokens do not preempt at once. An
// empty pool takes any sample (check_fits made sure one fits alone), so nothing waits forever.
bool engine::room_to_admit(int32_t cells) const {
    if (cparams.mode != kv_mode::pool) return true;
    if (std::none_of(seqs.begin(), seqs.end(), [](const seq & s) { return s.busy(); })) return true;
    int64_t committed = int64_t(cells_used()) + int64_t(lim.n_seq_max);
    for (const auto & s : seqs) {
        if (s.state == SEQ_PREFILL) committed += s.run->feed_size() - s.n_past;
    }
    return committed + cells <= int64_t(lim.n_ctx);
}

// KV cells holding tokens: each sequence's own positions, plus each shared prompt once.
uint32_t engine::cells_used() const {
    uint32_t used = 0;
    std::vector<uint64_t> groups;
    for (const auto & s : seqs) {
        if (!s.holds_cells()) continue;
        used += uint32_t(s.n_past - s.n_shared);
        if (s.share_group != 0 && std::find(groups.begin(), groups.end(), s.share_group) == groups.end()) {
            groups.push_back(s.share_group);
            used += uint32_t(s.n_shared);
        }
    }
    return used;
}

std::vector<engine::seq *> engine::holders_oldest_first() {
    std::vector<seq *> out;
    for (auto & s : seqs) {
        if (s.state == SEQ_PREFILL || s.state == SEQ_GENERATE) out.push_back(&s);
    }
    std::sort(out.begin(), out.end(), [](const seq * a, const seq * b) { return a->order < b->order; });
    return out;
}

// Pool only: every generating sequence needs a new cell this step, and the oldest prompt still
// prefilling needs at least one. While the pool cannot give them, the newest sequence is
// preempted (vLLM's recompute preemption): its cells are freed and its sample goes first in line.
// The oldest sequence therefore always moves, so no mix of lengths deadlocks or starves.
void engine::make_room() {
    if (cparams.mode != kv_mode::pool) return;
    while (true) {
        const auto holders = holders_oldest_first();
        if (holders.empty()) return;
        int64_t free = int64_t(lim.n_ctx) - int64_t(cells_used());
        const seq * oldest_prefill = nullptr;
        for (const seq * s : holders) {
            if (s->state == SEQ_GENERATE) free--;
            if (s->state == SEQ_PREFILL && !oldest_prefill) oldest_prefill = s;
        }
        seq * newest = holders.back();
        const bool short_of_decode = free < 0;
        const bool prefill_blocked = free == 0 && oldest_prefill && newest->order > oldest_prefill->order;
        if (!short_of_decode && !prefill_blocked) return;
        if (holders.size() == 1) return;  // a lone sequence always fits: check_fits saw to it
        preempt(*newest);
    }
}

void engine::preempt(seq & s) {
    llama_memory_seq_rm(llama_get_memory(ctx.get()), s.id, -1, -1);
    // Siblings waiting for this prompt go back in line right behind it.
    for (auto it = s.children.rbegin(); it != s.children.rend(); ++it) {
        seq & child = seqs[size_t(*it)];
        if (child.state == SEQ_WAIT_PARENT) requeue(child);
    }
    s.run->preemptions++;
    preemptions_total++;
    requeue(s);
}

void engine::requeue(seq & s) {
    preempted.push_front(std::move(s.run));
    release(s);
}

void engine::start_batch() {
    batch->clear();
    view_ends.clear();
    throwaways.clear();
}

// The last sampled token of every generating sequence goes first: decode steps never wait for
// prompts. llama.cpp puts each run of consecutive sequence ids in one ubatch; in deterministic
// mode a sequence with no generating neighbour, which would be a ubatch of one token (and take
// other kernels than a ubatch of several), also decodes a throwaway token.
void engine::add_decode_tokens() {
    auto generating = [&](size_t i) { return i < seqs.size() && seqs[i].state == SEQ_GENERATE; };
    for (size_t i = 0; i < seqs.size(); ++i) {
        seq & s = seqs[i];
        if (s.state != SEQ_GENERATE) continue;
        s.i_batch = batch->add(s.last, s.n_past, s.id, true);
        if (cparams.deterministic && !(i > 0 && generating(i - 1)) && !generating(i + 1)) add_throwaway(s, s.n_past + 1, true);
    }
    n_decode_tokens = batch->size();
    if (cparams.deterministic && batch->size() > 0) view_ends.push_back(batch->size());
}

// Prompt chunks fill the rest of the batch (n_batch tokens in all), oldest sequence first (in
// the pool: as far as free cells allow); only the last fed token needs logits. Positions advance
// once a view is decoded. Deterministic mode takes whole chunks at fixed boundaries (multiples of
// n_batch), each in a view of its own and never of one token, so a prompt's cells come out the
// same whatever else runs.
void engine::add_prefill_chunks() {
    const auto n_batch = int32_t(lim.n_batch);
    int64_t kv_room = INT64_MAX;
    if (cparams.mode == kv_mode::pool) kv_room = int64_t(lim.n_ctx) - int64_t(cells_used()) - batch->size();
    int32_t prefill = 0;
    for (seq * s : holders_oldest_first()) {
        if (s->state != SEQ_PREFILL) continue;
        const int32_t feed = s->run->feed_size();
        const int32_t left = feed - s->n_past;
        const int32_t room = int32_t(std::min<int64_t>(n_batch - batch->size(), kv_room));
        const int32_t take = cparams.deterministic ? std::min(left, n_batch - s->n_past % n_batch) : std::min(room, left);
        if (take <= 0 || prefill + take > n_batch) return;
        for (int32_t k = 0; k < take; ++k) {
            const int32_t pos = s->n_past + k;
            const bool last = pos + 1 == feed;
            const int32_t row = batch->add(s->run->feed_at(pos), pos, s->id, last);
            if (last) s->i_batch = row;
        }
        prefill += take;
        kv_room -= take;
        if (cparams.deterministic) {
            if (take == 1) add_throwaway(*s, s->n_past + 1, false);
            view_ends.push_back(batch->size());
        }
    }
}

void engine::add_throwaway(const seq & s, llama_pos pos, bool logits) {
    throwaways.push_back({batch->size(), s.id, pos});
    batch->add(s.last, pos, s.id, logits);
}

static std::string decode_error(int32_t ret, uint32_t n_ctx) {
    switch (ret) {
        case 1:  return "no room in the KV cache for the batch (n_ctx " + std::to_string(n_ctx) + "); raise n_ctx or lower max_sequences";
        case 2:  return "decoding was aborted";
        case -1: return "llama.cpp rejected the batch as invalid";
        default: return "decoding failed (code " + std::to_string(ret) + "), most likely out of memory; lower n_ctx, n_batch or max_sequences";
    }
}

// Decodes the batch in views: of n_batch tokens, where a full KV cache halves the view and
// retries (as llama.cpp's server does); in deterministic mode, the views planned with the batch,
// never split. Any other failure ends the sequences with tokens in the failed view; the rest of
// the batch is left for the next step, whose positions did not advance.
void engine::decode_views() {
    int32_t n_view = int32_t(lim.n_batch);
    size_t planned = 0;
    for (int32_t i = 0; i < batch->size();) {
        const int32_t n = cparams.deterministic ? view_ends[planned] - i : std::min(n_view, batch->size() - i);
        if (tuner->threads() != threads_set) {
            threads_set = tuner->threads();
            llama_set_n_threads(ctx.get(), threads_set, threads_set);
        }
        const double started = now_ms();
        const int32_t ret = llama_decode(ctx.get(), batch->view(i, n));
        // Views of decode tokens only are comparable step to step; prefill chunks are not.
        if (ret == 0 && i + n <= n_decode_tokens) tuner->record(now_ms() - started, n, now_ms());
        if (ret == 1 && n > 1 && !cparams.deterministic) {
            n_view = n / 2;
            continue;
        }
        if (ret != 0) {
            fail_view(i, n, decode_error(ret, lim.n_ctx));
            for (auto & s : seqs) s.i_batch = -1;
            return;
        }
        drop_throwaways(i, n);
        advance(i, n);
        sample_and_stop(i, n);
        i += n;
        planned++;
        n_view = int32_t(lim.n_batch);
    }
}

void engine::drop_throwaways(int32_t view_start, int32_t view_len) {
    llama_memory_t mem = llama_get_memory(ctx.get());
    for (const auto & t : throwaways) {
        if (t.at >= view_start && t.at < view_start + view_len) llama_memory_seq_rm(mem, t.id, t.pos, -1);
    }
}

// A view decoded: each sequence's positions advance by its tokens in it (throwaways excepted).
void engine::advance(int32_t view_start, int32_t view_len) {
    for (int32_t k = view_start; k < view_start + view_len; ++k) {
        if (std::any_of(throwaways.begin(), throwaways.end(), [k](const throwaway & t) { return t.at == k; })) continue;
        seq & s = seqs[size_t(batch->seq_at(k))];
        s.n_past++;
        if (s.state == SEQ_PREFILL) prompt_tokens_total++;
    }
}

void engine::fail_view(int32_t view_start, int32_t view_len, const std::string & error) {
    for (int32_t k = view_start; k < view_start + view_len; ++k) {
        seq & s = seqs[size_t(batch->seq_at(k))];
        if (s.state != SEQ_DONE) finish(s, abort_decode.load() ? FINISH_ABORT : FINISH_ERROR, error);
    }
}

// Samples every sequence whose logits row lies in the view just decoded: first what must happen
// in order (a finished prompt hands its cells to its waiting siblings), then every draw at once on
// the sampling threads, then the stop checks.
void engine::sample_and_stop(int32_t view_start, int32_t view_len) {
    draws.clear();
    for (auto & s : seqs) {
        if (s.i_batch < view_start || s.i_batch >= view_start + view_len) continue;
        if (s.state != SEQ_PREFILL && s.state != SEQ_GENERATE) continue;
        const float * logits = llama_get_logits_ith(ctx.get(), s.i_batch - view_start);
        s.i_batch = -1;
        if (!logits) {
            finish(s, FINISH_ERROR, "llama.cpp returned no logits for the sequence");
            continue;
        }
        if (s.state == SEQ_PREFILL) {
            s.state = SEQ_GENERATE;
            if (s.run->t_first < 0) s.run->t_first = now_ms();
            const std::vector<int32_t> children = std::move(s.children);
            s.children.clear();
            fan_out(s, children);
            for (int32_t c : children) {
                if (seqs[size_t(c)].state == SEQ_GENERATE) draws.push_back({&seqs[size_t(c)], logits, 0});
            }
        }
        draws.push_back({&s, logits, 0});
    }
    sampler_threads->run(draws.size(), [&](size_t i, sampler_scratch & scratch) {
        if (fault_due(fault_sampling)) throw std::runtime_error("fault injected into the sampling threads (test hook)");
        draw & d = draws[i];
        d.token = d.s->run->sampler->sample(d.logits, n_vocab, scratch);
    }, size_t(threads_set));
    for (const auto & d : draws) process_token(*d.s, d.token);
}

// The n samples of a prompt: the waiting siblings take the parent's prompt cells (no recompute)
// and sample their first token from the same logits, each with its own generator. In the pool
// the cells are shared (a cell holds several sequence ids); across streams they are copied.
void engine::fan_out(seq & parent, const std::vector<int32_t> & children) {
    if (children.empty()) return;
    llama_memory_t mem = llama_get_memory(ctx.get());
    const bool share = cparams.mode == kv_mode::pool;
    if (share) {
        parent.share_group = ++share_groups;
        parent.n_shared = parent.n_past;
    }
    for (int32_t c : children) {
        seq & child = seqs[size_t(c)];
        if (child.state != SEQ_WAIT_PARENT) continue;
        llama_memory_seq_cp(mem, parent.id, child.id, -1, -1);
        child.state = SEQ_GENERATE;
        child.n_past = parent.n_past;
        child.n_shared = parent.n_shared;
        child.share_group = parent.share_group;
        child.run->t_first = parent.run->t_first;
    }
}

void engine::process_token(seq & s, llama_token token) {
    if (s.state != SEQ_GENERATE) return;
    sample_run & run = *s.run;
    run.n_sampled++;
    generated_total++;
    const sampling_params & p = run.req->r.sampling;
    // Before min_tokens the sampler holds end-of-generation tokens back (ignore_eos: always).
    if (run.sampler->may_stop() && !p.ignore_eos && llama_vocab_is_eog(model->vocab(), token)) {
        finish(s, FINISH_STOP);
        return;
    }
    run.sampler->accept(token);
    run.generated.push_back(token);
    s.last = token;
    const std::string piece = model->token_piece(token, false);
    // Stop strings are looked for from the min_tokens-th token on, as vLLM does.
    if (!run.sampler->may_stop()) {
        run.text += piece;
    } else if (run.req->stops.append(run.text, piece)) {
        finish(s, FINISH_STOP);
        return;
    }
    if (run.n_sampled >= p.max_tokens) {
        finish(s, FINISH_LENGTH);
    } else if (uint32_t(run.req->tokens.size()) + uint32_t(run.n_sampled) >= lim.context()) {
        finish(s, FINISH_CONTEXT);
    }
}

void engine::finish(seq & s, finish_reason why, const std::string & error) {
    s.state = SEQ_DONE;
    s.why = why;
    s.error = error;
    s.t_end = now_ms();
    // Siblings still waiting for this prompt share its fate.
    for (int32_t c : s.children) {
        seq & child = seqs[size_t(c)];
        if (child.state == SEQ_WAIT_PARENT) finish(child, why, error);
    }
    s.children.clear();
}

void engine::retire() {
    llama_memory_t mem = llama_get_memory(ctx.get());
    for (auto & s : seqs) {
        if (s.state != SEQ_DONE) continue;
        llama_memory_seq_rm(mem, s.id, -1, -1);
        outbox.push_back(s.run->to_completion(s.why, s.error, s.t_end));
        release(s);
    }
}

// Back to an idle slot.
void engine::release(seq & s) {
    s.run.reset();
    s.state = SEQ_IDLE;
    s.n_past = s.n_shared = 0;
    s.share_group = 0;
    s.i_batch = -1;
    s.children.clear();
    s.error.clear();
}
