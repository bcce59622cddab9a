#include "engine.h"

#include "cpu_budget.h"
#include "kv_budget.h"
#include "llama_log.h"

#include <algorithm>
#include <stdexcept>

enum seq_state {
    SEQ_IDLE,         // free slot
    SEQ_WAIT_PARENT,  // sample i > 0 of a request: waits for sample 0's prompt, then copies its KV
    SEQ_PREFILL,      // prompt going into the KV cache in chunks
    SEQ_GENERATE,     // one token per step
    SEQ_DONE,         // finished; retire() hands it over and frees the slot
};

struct engine::request_state {
    gen_request r;
    std::vector<llama_token> tokens;
    std::vector<llama_token> prompt_unique;  // sorted, for the repetition penalty
    stop_strings stops;
    std::vector<int32_t> samples;            // the sample indices to draw
    size_t next_sample = 0;                  // samples[next_sample...] have no slot yet

    explicit request_state(gen_request in) : r(std::move(in)), stops(r.sampling.stop) {
        samples = r.samples;
        if (samples.empty()) {
            for (int32_t i = 0; i < r.n; ++i) samples.push_back(i);
        }
    }
    size_t waiting() const { return samples.size() - next_sample; }
};

struct engine::seq {
    llama_seq_id id = 0;
    seq_state state = SEQ_IDLE;
    std::shared_ptr<request_state> req;
    int32_t sample = 0;
    std::unique_ptr<seq_sampler> sampler;
    int32_t n_prompt_done = 0;  // prompt tokens in the KV cache
    int32_t n_past = 0;         // positions in the KV cache
    int32_t n_decoded = 0;      // tokens sampled
    llama_token last = 0;       // sampled, not yet decoded
    int32_t i_batch = -1;       // row of this sequence's logits in the current batch
    std::vector<int32_t> children;  // WAIT_PARENT slots that share this prompt
    std::string text;
    finish_reason why = FINISH_STOP;
    std::string error;
    double t_admit = 0, t_first = 0, t_end = 0;

    bool busy() const { return state != SEQ_IDLE; }
};

// What flash attention became. llama.cpp settles "auto" (and may override an explicit choice) while
// it creates the context, and says what it decided only in its log.
static const char * resolved_flash_attn(llama_flash_attn_type requested, const llama_log_capture & log) {
    if (log.contains("flash_attn is not compatible")) return "off";
    if (log.contains("enabling flash_attn since it is required")) return "on";
    if (requested != LLAMA_FLASH_ATTN_TYPE_AUTO) return requested == LLAMA_FLASH_ATTN_TYPE_ENABLED ? "on" : "off";
    if (log.contains("Flash Attention enabled")) return "on";
    if (log.contains("Flash Attention not supported")) return "off";
    return "auto";
}

// Why deterministic mode cannot hold for this model and these parameters; empty when it can.
static std::string deterministic_problem(const model_handle & model, const engine_params & p) {
    if (model.gpu_layers() != 0) return "deterministic=true is for the CPU: GPU matrix kernels change with the batch size; use gpu=cpu";
    if (model.repacks_weights()) {
        return "deterministic=true needs the weights loaded without repacking (repacked matrix products change with the number of rows); "
               "load the model with repackWeights: false, as the llama backend does for deterministic=true";
    }
    if (p.n_batch < p.n_seq_max + 1) {
        return "deterministic=true needs n_batch above max_sequences (a decode step may add a throwaway token); raise n_batch to " +
               std::to_string(p.n_seq_max + 1) + " or more";
    }
    return "";
}

engine::engine(std::shared_ptr<model_handle> model_in, const engine_params & p, event_sink sink_in)
    : model(std::move(model_in)), cparams(p), sink(std::move(sink_in)), epoch(std::chrono::steady_clock::now()) {
    const cpu_budget cpus = read_cpu_budget();
    adaptive_threads = cparams.n_threads <= 0;
    if (adaptive_threads) {
        cparams.n_threads = cpus.physical;
    } else if (cparams.n_threads > cpus.logical) {
        throw std::runtime_error("threads=" + std::to_string(cparams.n_threads) + " is more than the " + std::to_string(cpus.logical) +
                                 " CPUs this process may use (" + cpus.source + "); llama.cpp's threads spin waiting for each other, so "
                                 "decoding would nearly stop: use threads=" + std::to_string(cpus.logical) + " or fewer, or leave it unset");
    }
    check_engine_params(*model, cparams);
    if (cparams.deterministic) {
        const std::string why = deterministic_problem(*model, cparams);
        if (!why.empty()) throw std::runtime_error(why);
    }

    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = cparams.n_ctx;
    cp.n_batch = cp.n_ubatch = cparams.n_batch;
    cp.n_seq_max = cparams.n_seq_max;
    cp.n_threads = cp.n_threads_batch = cparams.n_threads;
    cp.type_k = cp.type_v = cparams.kv_type;
    cp.flash_attn_type = cparams.flash_attn;
    // One KV stream per sequence, not one unified pool: in a unified cache a sequence's cells sit
    // among other sequences' cells, which changes the order of attention's float sums, so its
    // logits (and any sampled text) would depend on what else is in the batch. Streams keep each
    // sequence's attention identical alone or in a batch of 16 (test/engine/generate.test.ts);
    // the n samples of a prompt then copy its cells across streams (fan_out).
    cp.kv_unified = false;
    cp.no_perf = true;
    cp.abort_callback = [](void * flag) { return static_cast<std::atomic<bool> *>(flag)->load(); };
    cp.abort_callback_data = &abort_decode;

    llama_log_clear_last_error();
    llama_log_capture log;
    ctx.reset(llama_init_from_model(model->get(), cp));
    if (!ctx) {
        const std::string why = llama_log_last_error();
        throw std::runtime_error("could not create a context (n_ctx=" + std::to_string(cparams.n_ctx) + ", max_sequences=" +
                                 std::to_string(cparams.n_seq_max) + ")" + (why.empty() ? "" : ": " + why) +
                                 "; lower n_ctx or max_sequences, or change kv_type/flash_attn");
    }
    threadpool = make_cpu_threadpool(cparams.n_threads);
    if (threadpool) llama_attach_threadpool(ctx.get(), threadpool.get(), threadpool.get());
    flash_attn_used = resolved_flash_attn(cparams.flash_attn, log);
    // Without flash attention the attention products take other kernels for one token per stream.
    if (cparams.deterministic && flash_attn_used != "on") {
        throw std::runtime_error("deterministic=true needs flash attention, and llama.cpp turned it " + flash_attn_used + "; set flash_attn=on or auto");
    }
    n_ctx_total = llama_n_ctx(ctx.get());
    // Deterministic mode keeps one cell per sequence for its throwaway token.
    n_ctx_seq = n_ctx_total / cparams.n_seq_max - (cparams.deterministic ? 1 : 0);
    n_vocab = model->metadata().n_vocab;
    sampling = std::make_unique<sampling_pool>(cparams.n_threads);
    // On a GPU the CPU threads do little; only CPU decoding adapts.
    adaptive_threads = adaptive_threads && model->gpu_layers() == 0;
    tuner = std::make_unique<thread_tuner>(cparams.n_threads, adaptive_threads ? cores_free_now(cpus) : cparams.n_threads, adaptive_threads);
    threads_set = cparams.n_threads;
    // Deterministic mode decodes a full prefill chunk besides the decode tokens and throwaways.
    batch = llama_batch_init(int32_t(cparams.n_batch + (cparams.deterministic ? cparams.n_seq_max + 2 : 0)), 0, 1);
    seqs.resize(cparams.n_seq_max);
    for (size_t i = 0; i < seqs.size(); ++i) seqs[i].id = llama_seq_id(i);
    worker = std::thread([this] { run(); });
}

engine::~engine() {
    close();
    llama_batch_free(batch);
}

void engine::submit(std::vector<gen_request> requests) {
    {
        std::lock_guard<std::mutex> lock(mtx);
        for (auto & r : requests) posted.push_back(std::move(r));
    }
    cv.notify_one();
}

void engine::cancel(uint32_t job) {
    {
        std::lock_guard<std::mutex> lock(mtx);
        posted_cancels.push_back(job);
    }
    cv.notify_one();
}

void engine::close() {
    {
        std::lock_guard<std::mutex> lock(mtx);
        stopping = true;
    }
    abort_decode.store(true);
    cv.notify_one();
    if (worker.joinable()) worker.join();
}

double engine::now_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - epoch).count();
}

void engine::run() {
    while (true) {
        const bool idle = pending.empty() && std::none_of(seqs.begin(), seqs.end(), [](const seq & s) { return s.busy(); });
        if (!take_posted(idle)) break;
        admit();
        start_batch();
        add_decode_tokens();
        add_prefill_chunks();
        if (batch.n_tokens > 0) decode_views();
        retire();
        emit(false);
    }
    for (auto & req : pending) reject(req, FINISH_ABORT, "");
    pending.clear();
    for (auto & s : seqs) {
        if (s.busy() && s.state != SEQ_DONE) finish(s, FINISH_ABORT);
    }
    retire();
    emit(true);
}

// Moves posted requests and cancellations onto the engine thread; blocks while idle. Returns
// false once close() was called.
bool engine::take_posted(bool block) {
    std::vector<gen_request> incoming;
    std::vector<uint32_t> cancels;
    {
        std::unique_lock<std::mutex> lock(mtx);
        if (block) {
            cv.wait(lock, [&] { return stopping || !posted.empty() || !posted_cancels.empty(); });
        }
        if (stopping) return false;
        incoming.swap(posted);
        cancels.swap(posted_cancels);
    }
    for (auto & r : incoming) {
        auto req = std::make_shared<request_state>(std::move(r));
        try {
            req->tokens = model->tokenize(req->r.prompt, req->r.add_special, true);
        } catch (const std::exception & e) {
            reject(req, FINISH_ERROR, e.what());
            continue;
        }
        const auto n_prompt = uint32_t(req->tokens.size());
        if (n_prompt == 0) {
            reject(req, FINISH_ERROR, "the prompt is empty");
            continue;
        }
        if (n_prompt >= n_ctx_seq) {
            reject(req, FINISH_ERROR, "the prompt needs " + std::to_string(n_prompt) + " tokens but each sequence gets " +
                                          std::to_string(n_ctx_seq) + " (n_ctx " + std::to_string(n_ctx_total) + " / max_sequences " +
                                          std::to_string(cparams.n_seq_max) + "); raise n_ctx or lower max_sequences");
            continue;
        }
        const std::string bad_token = req->r.sampling.check_vocab(n_vocab);
        if (!bad_token.empty()) {
            reject(req, FINISH_ERROR, bad_token);
            continue;
        }
        if (req->r.sampling.repetition_penalty != 1.0f) {
            req->prompt_unique = req->tokens;
            std::sort(req->prompt_unique.begin(), req->prompt_unique.end());
            req->prompt_unique.erase(std::unique(req->prompt_unique.begin(), req->prompt_unique.end()), req->prompt_unique.end());
        }
        pending.push_back(std::move(req));
    }
    for (uint32_t job : cancels) abort_job(job);
    return true;
}

// Gives free slots to waiting samples. The samples of one request admitted together form a group:
// the first prefills, the others wait and then copy its KV cells (fan_out).
void engine::admit() {
    while (!pending.empty()) {
        auto req = pending.front();
        std::vector<int32_t> free;
        for (size_t i = 0; i < seqs.size() && free.size() < req->waiting(); ++i) {
            if (!seqs[i].busy()) free.push_back(int32_t(i));
        }
        if (free.empty()) return;
        const double t = now_ms();
        for (size_t k = 0; k < free.size(); ++k) {
            seq & s = seqs[size_t(free[k])];
            s.state = k == 0 ? SEQ_PREFILL : SEQ_WAIT_PARENT;
            s.req = req;
            s.sample = req->samples[req->next_sample++];
            s.sampler = std::make_unique<seq_sampler>(req->r.sampling, uint64_t(s.sample), sampler_context{&req->prompt_unique, &model->metadata().eog});
            s.n_prompt_done = s.n_past = s.n_decoded = 0;
            s.i_batch = -1;
            s.text.clear();
            s.error.clear();
            s.t_admit = t;
            if (k > 0) seqs[size_t(free[0])].children.push_back(free[k]);
        }
        if (req->waiting() == 0) pending.pop_front();
    }
}

static void batch_add(llama_batch & b, llama_token token, llama_pos pos, llama_seq_id id, bool logits) {
    const int32_t i = b.n_tokens++;
    b.token[i] = token;
    b.pos[i] = pos;
    b.n_seq_id[i] = 1;
    b.seq_id[i][0] = id;
    b.logits[i] = logits;
}

void engine::start_batch() {
    batch.n_tokens = 0;
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
        s.i_batch = batch.n_tokens;
        batch_add(batch, s.last, s.n_past++, s.id, true);
        if (cparams.deterministic && !(i > 0 && generating(i - 1)) && !generating(i + 1)) add_throwaway(s, s.n_past, true);
    }
    n_decode_tokens = batch.n_tokens;
    if (cparams.deterministic && batch.n_tokens > 0) view_ends.push_back(batch.n_tokens);
}

// Prompt chunks fill the rest of the batch, oldest slot first; only a prompt's last token needs
// logits. Deterministic mode takes whole chunks at fixed boundaries (multiples of n_batch), each
// in a view of its own and never of one token, so a prompt's cells come out the same whatever
// else runs.
void engine::add_prefill_chunks() {
    const auto n_batch = int32_t(cparams.n_batch);
    int32_t prefill = 0;
    for (auto & s : seqs) {
        if (s.state != SEQ_PREFILL) continue;
        const auto & tokens = s.req->tokens;
        const int32_t left = int32_t(tokens.size()) - s.n_prompt_done;
        const int32_t take = cparams.deterministic ? std::min(left, n_batch - s.n_prompt_done % n_batch) : std::min(n_batch - batch.n_tokens, left);
        if (take <= 0 || prefill + take > n_batch) return;
        for (int32_t k = 0; k < take; ++k) {
            const int32_t pos = s.n_prompt_done + k;
            const bool last = pos + 1 == int32_t(tokens.size());
            if (last) s.i_batch = batch.n_tokens;
            batch_add(batch, tokens[size_t(pos)], pos, s.id, last);
        }
        s.n_prompt_done += take;
        s.n_past = s.n_prompt_done;
        prefill += take;
        prompt_tokens_total += uint64_t(take);
        if (cparams.deterministic) {
            if (take == 1) add_throwaway(s, s.n_past, false);
            view_ends.push_back(batch.n_tokens);
        }
    }
}

void engine::add_throwaway(const seq & s, llama_pos pos, bool logits) {
    throwaways.push_back({batch.n_tokens, s.id, pos});
    batch_add(batch, s.last, pos, s.id, logits);
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
// never split. Any other failure ends only the sequences in the failed view and after it.
void engine::decode_views() {
    int32_t n_view = int32_t(cparams.n_batch);
    size_t planned = 0;
    for (int32_t i = 0; i < batch.n_tokens;) {
        const int32_t n = cparams.deterministic ? view_ends[planned] - i : std::min(n_view, batch.n_tokens - i);
        llama_batch view = {n, batch.token + i, nullptr, batch.pos + i, batch.n_seq_id + i, batch.seq_id + i, batch.logits + i};
        if (tuner->threads() != threads_set) {
            threads_set = tuner->threads();
            llama_set_n_threads(ctx.get(), threads_set, threads_set);
        }
        const double started = now_ms();
        const int32_t ret = llama_decode(ctx.get(), view);
        // Views of decode tokens only are comparable step to step; prefill chunks are not.
        if (ret == 0 && i + n <= n_decode_tokens) tuner->record(now_ms() - started, n, now_ms());
        if (ret == 1 && n > 1 && !cparams.deterministic) {
            n_view = n / 2;
            continue;
        }
        if (ret != 0) {
            fail_view(i, decode_error(ret, n_ctx_total));
            return;
        }
        drop_throwaways(i, n);
        sample_and_stop(i, n);
        i += n;
        planned++;
        n_view = int32_t(cparams.n_batch);
    }
}

void engine::drop_throwaways(int32_t view_start, int32_t view_len) {
    llama_memory_t mem = llama_get_memory(ctx.get());
    for (const auto & t : throwaways) {
        if (t.at >= view_start && t.at < view_start + view_len) llama_memory_seq_rm(mem, t.id, t.pos, -1);
    }
}

void engine::fail_view(int32_t view_start, const std::string & error) {
    for (int32_t k = view_start; k < batch.n_tokens; ++k) {
        seq & s = seqs[size_t(batch.seq_id[k][0])];
        if (s.state != SEQ_DONE) finish(s, abort_decode.load() ? FINISH_ABORT : FINISH_ERROR, error);
    }
}

// Samples every sequence whose logits row lies in the view just decoded: first what must happen
// in order (a finished prompt hands its cells to its waiting siblings), then every draw at once on
// the sampling pool, then the stop checks.
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
            s.t_first = now_ms();
            const std::vector<int32_t> children = std::move(s.children);
            s.children.clear();
            fan_out(s, children);
            for (int32_t c : children) {
                if (seqs[size_t(c)].state == SEQ_GENERATE) draws.push_back({&seqs[size_t(c)], logits, 0});
            }
        }
        draws.push_back({&s, logits, 0});
    }
    sampling->run(draws.size(), [&](size_t i, sampler_scratch & scratch) {
        draw & d = draws[i];
        d.token = d.s->sampler->sample(d.logits, n_vocab, scratch);
    }, size_t(threads_set));
    for (const auto & d : draws) process_token(*d.s, d.token);
}

// The n samples of a prompt: the waiting siblings take the parent's prompt cells (no recompute)
// and sample their first token from the same logits, each with its own generator.
void engine::fan_out(seq & parent, const std::vector<int32_t> & children) {
    llama_memory_t mem = llama_get_memory(ctx.get());
    for (int32_t c : children) {
        seq & child = seqs[size_t(c)];
        if (child.state != SEQ_WAIT_PARENT) continue;
        llama_memory_seq_cp(mem, parent.id, child.id, -1, -1);
        child.state = SEQ_GENERATE;
        child.n_prompt_done = parent.n_prompt_done;
        child.n_past = parent.n_past;
        child.t_first = parent.t_first;
    }
}

void engine::process_token(seq & s, llama_token token) {
    if (s.state != SEQ_GENERATE) return;
    s.n_decoded++;
    generated_total++;
    const sampling_params & p = s.req->r.sampling;
    // Before min_tokens the sampler holds end-of-generation tokens back (ignore_eos: always).
    if (s.sampler->may_stop() && !p.ignore_eos && llama_vocab_is_eog(model->vocab(), token)) {
        finish(s, FINISH_STOP);
        return;
    }
    s.sampler->accept(token);
    s.last = token;
    const std::string piece = model->token_piece(token, false);
    // Stop strings are looked for from the min_tokens-th token on, as vLLM does.
    if (!s.sampler->may_stop()) {
        s.text += piece;
    } else if (s.req->stops.append(s.text, piece)) {
        finish(s, FINISH_STOP);
        return;
    }
    if (s.n_decoded >= p.max_tokens || uint32_t(s.n_past) >= n_ctx_seq) {
        finish(s, FINISH_LENGTH);
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
        completion c;
        c.job = s.req->r.job;
        c.index = s.req->r.index;
        c.sample = s.sample;
        c.text = std::move(s.text);
        c.finish = s.why;
        c.error = std::move(s.error);
        c.prompt_tokens = int32_t(s.req->tokens.size());
        c.completion_tokens = s.n_decoded;
        c.t_admit_ms = s.t_admit;
        c.t_first_ms = s.t_first;
        c.t_end_ms = s.t_end;
        outbox.push_back(std::move(c));
        s.state = SEQ_IDLE;
        s.req.reset();
        s.sampler.reset();
        s.text.clear();
    }
}

void engine::reject(const std::shared_ptr<request_state> & req, finish_reason why, const std::string & error) {
    const double t = now_ms();
    for (; req->waiting() > 0; ++req->next_sample) {
        completion c;
        c.job = req->r.job;
        c.index = req->r.index;
        c.sample = req->samples[req->next_sample];
        c.finish = why;
        c.error = error;
        c.prompt_tokens = int32_t(req->tokens.size());
        c.t_admit_ms = c.t_first_ms = c.t_end_ms = t;
        outbox.push_back(std::move(c));
    }
}

void engine::abort_job(uint32_t job) {
    for (auto it = pending.begin(); it != pending.end();) {
        if ((*it)->r.job == job) {
            reject(*it, FINISH_ABORT, "");
            it = pending.erase(it);
        } else {
            ++it;
        }
    }
    for (auto & s : seqs) {
        if (s.busy() && s.state != SEQ_DONE && s.req->r.job == job) finish(s, FINISH_ABORT);
    }
}

// Completions leave as soon as a step produced any; progress alone at most every 250 ms.
void engine::emit(bool force) {
    const double t = now_ms();
    const bool progress_due = t - last_emit_ms >= 250.0;
    if (outbox.empty() && !progress_due && !force) return;
    engine_event ev;
    ev.done = std::move(outbox);
    outbox.clear();
    for (const auto & s : seqs) ev.progress.active += s.busy() ? 1 : 0;
    for (const auto & r : pending) ev.progress.queued += int32_t(r->waiting());
    ev.progress.prompt_tokens = prompt_tokens_total;
    ev.progress.generated_tokens = generated_total;
    if (progress_due) {
        rate = t > last_emit_ms ? double(generated_total - generated_at_last_emit) * 1000.0 / (t - last_emit_ms) : 0.0;
        generated_at_last_emit = generated_total;
        last_emit_ms = t;
    }
    ev.progress.tokens_per_sec = rate;
    sink(std::move(ev));
}
