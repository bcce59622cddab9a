#include "engine.h"

#include "cpu_budget.h"
#include "engine_state.h"
#include "kv_budget.h"
#include "llama_log.h"

#include <algorithm>
#include <stdexcept>

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
    if (p.mode == kv_mode::pool) {
        return "deterministic=true needs kv_mode=streams: in the pool a sequence's attention visits its cells in pool order among other "
               "sequences' cells";
    }
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
    // streams: in a unified cache a sequence's cells sit among other sequences' cells, which
    // changes the order of attention's float sums, so its logits (and any sampled text) would
    // depend on what else is in the batch; one stream per sequence keeps them identical alone or
    // in a batch of 16 (test/engine/generate.test.ts). pool: the unified cache, for its memory.
    cp.kv_unified = cparams.mode == kv_mode::pool;
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
    lim.n_ctx = llama_n_ctx(ctx.get());
    // Deterministic mode keeps one cell per sequence for its throwaway token.
    lim.n_ctx_seq = (cparams.mode == kv_mode::pool ? lim.n_ctx : llama_n_ctx_seq(ctx.get())) - (cparams.deterministic ? 1 : 0);
    lim.n_batch = std::min(llama_n_batch(ctx.get()), llama_n_ubatch(ctx.get()));
    lim.n_seq_max = llama_n_seq_max(ctx.get());
    lim.n_ctx_train = uint32_t(std::max(0, model->metadata().n_ctx_train));
    // Every generating sequence puts one token (one output row) into each batch, deterministic
    // mode perhaps one more.
    if (lim.n_batch < lim.n_seq_max + (cparams.deterministic ? 1 : 0)) {
        throw std::runtime_error("llama.cpp settled on n_batch " + std::to_string(lim.n_batch) + " for n_ctx " + std::to_string(lim.n_ctx) +
                                 ", below max_sequences " + std::to_string(lim.n_seq_max) + "; raise n_ctx and n_batch or lower max_sequences");
    }
    n_vocab = model->metadata().n_vocab;
    sampler_threads = std::make_unique<sampling_pool>(cparams.n_threads);
    // On a GPU the CPU threads do little; only CPU decoding adapts.
    adaptive_threads = adaptive_threads && model->gpu_layers() == 0;
    tuner = std::make_unique<thread_tuner>(cparams.n_threads, adaptive_threads ? cores_free_now(cpus) : cparams.n_threads, adaptive_threads);
    threads_set = cparams.n_threads;
    // Deterministic mode decodes a full prefill chunk besides the decode tokens and throwaways
    // (each view stays within n_batch).
    batch = std::make_unique<token_batch>(int32_t(lim.n_batch + (cparams.deterministic ? lim.n_seq_max + 2 : 0)));
    seqs.resize(lim.n_seq_max);
    for (size_t i = 0; i < seqs.size(); ++i) seqs[i].id = llama_seq_id(i);
    worker = std::thread([this] { run(); });
}

engine::~engine() {
    close();
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

void engine::inject_fault(engine_fault where, int32_t after) {
    (where == engine_fault::loop ? fault_loop : fault_sampling).store(after + 1);
}

double engine::now_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - epoch).count();
}

// The exception boundary: a step that throws (a failed allocation, a bug, a fault injected by a
// test) never leaves this thread. recover() fails the work in flight and the engine goes on.
void engine::run() {
    bool running = true;
    while (running) {
        try {
            running = step();
        } catch (const std::exception & e) {
            recover(e.what());
        } catch (...) {
            recover("unknown exception");
        }
    }
    try {
        shut_down();
    } catch (...) {
        // Nothing left to tell: close() is tearing the engine down.
    }
}

// One iteration of the slot loop; false once close() was called.
bool engine::step() {
    const bool idle = pending.empty() && preempted.empty() && std::none_of(seqs.begin(), seqs.end(), [](const seq & s) { return s.busy(); });
    if (!take_posted(idle)) return false;
    if (fault_due(fault_loop)) throw std::runtime_error("fault injected into the engine loop (test hook)");
    admit();
    start_batch();
    make_room();
    add_decode_tokens();
    add_prefill_chunks();
    if (batch->size() > 0) decode_views();
    retire();
    emit(false);
    return true;
}

// Drops every sample in flight or waiting, clears the KV cache, and reports the jobs it dropped
// so their generate() calls fail with the message; requests posted later run normally.
void engine::recover(const std::string & what) noexcept {
    engine_event ev;
    try {
        ev.failure = "the engine thread failed: " + what;
        auto note = [&](uint32_t job) {
            if (std::find(ev.failed_jobs.begin(), ev.failed_jobs.end(), job) == ev.failed_jobs.end()) ev.failed_jobs.push_back(job);
        };
        for (auto & s : seqs) {
            if (s.busy()) note(s.run->req->r.job);
        }
        for (auto & r : pending) note(r->r.job);
        for (auto & p : preempted) note(p->req->r.job);
        for (auto & c : outbox) note(c.job);
    } catch (...) {
        ev.failure = "the engine thread failed and ran out of memory while recovering";
    }
    pending.clear();
    preempted.clear();
    outbox.clear();
    for (auto & s : seqs) release(s);
    if (ctx) llama_memory_clear(llama_get_memory(ctx.get()), true);
    try {
        ev.progress.preemptions = preemptions_total;
        ev.progress.prompt_tokens = prompt_tokens_total;
        ev.progress.generated_tokens = generated_total;
        sink(std::move(ev));
    } catch (...) {
        // The sink could not even allocate; the failed jobs learn of it when the engine closes.
    }
}

void engine::shut_down() {
    for (auto & req : pending) reject(req, FINISH_ABORT, "");
    pending.clear();
    for (auto & s : seqs) {
        if (s.busy() && s.state != SEQ_DONE) finish(s, FINISH_ABORT);
    }
    retire();
    for (auto & p : preempted) outbox.push_back(p->to_completion(FINISH_ABORT, "", now_ms()));
    preempted.clear();
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
        if (!check_fits(req)) continue;
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

// A request runs only if it can reach max_tokens or the model's context: what the engine's own
// sizes cannot hold is refused with the fix, never cut short.
bool engine::check_fits(const std::shared_ptr<request_state> & req) {
    const auto n_prompt = uint32_t(req->tokens.size());
    const std::string sizes = cparams.mode == kv_mode::pool
        ? "the KV pool holds " + std::to_string(lim.n_ctx) + " tokens (n_ctx " + std::to_string(lim.n_ctx) + ", kv_mode pool)"
        : "each sequence gets " + std::to_string(lim.n_ctx_seq) + " (n_ctx " + std::to_string(lim.n_ctx) + " / max_sequences " +
              std::to_string(lim.n_seq_max) + ")";
    const std::string fix = cparams.mode == kv_mode::pool ? "raise n_ctx" : "raise n_ctx, lower max_sequences or use kv_mode=pool";
    if (n_prompt == 0) {
        reject(req, FINISH_ERROR, "the prompt is empty");
        return false;
    }
    if (lim.n_ctx_train > 0 && n_prompt >= lim.n_ctx_train) {
        reject(req, FINISH_ERROR, "the prompt needs " + std::to_string(n_prompt) + " tokens but the model's context is " +
                                      std::to_string(lim.n_ctx_train) + " tokens; shorten the prompt");
        return false;
    }
    if (n_prompt >= lim.n_ctx_seq) {
        reject(req, FINISH_ERROR, "the prompt needs " + std::to_string(n_prompt) + " tokens but " + sizes + "; " + fix);
        return false;
    }
    const int32_t max_tokens = req->r.sampling.max_tokens;
    const uint64_t want = std::min<uint64_t>(uint64_t(n_prompt) + uint64_t(max_tokens), lim.n_ctx_train > 0 ? lim.n_ctx_train : UINT64_MAX);
    if (want > lim.n_ctx_seq) {
        reject(req, FINISH_ERROR, "prompt (" + std::to_string(n_prompt) + " tokens) + max_tokens (" + std::to_string(max_tokens) +
                                      ") needs " + std::to_string(want) + " tokens but " + sizes + "; " + fix + " (or lower max_tokens)");
        return false;
    }
    return true;
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
    for (auto it = preempted.begin(); it != preempted.end();) {
        if ((*it)->req->r.job == job) {
            outbox.push_back((*it)->to_completion(FINISH_ABORT, "", now_ms()));
            it = preempted.erase(it);
        } else {
            ++it;
        }
    }
    for (auto & s : seqs) {
        if (s.busy() && s.state != SEQ_DONE && s.run->req->r.job == job) finish(s, FINISH_ABORT);
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
    ev.progress.queued += int32_t(preempted.size());
    ev.progress.prompt_tokens = prompt_tokens_total;
    ev.progress.generated_tokens = generated_total;
    ev.progress.preemptions = preemptions_total;
    ev.progress.kv_cells_used = cells_used();
    if (progress_due) {
        rate = t > last_emit_ms ? double(generated_total - generated_at_last_emit) * 1000.0 / (t - last_emit_ms) : 0.0;
        generated_at_last_emit = generated_total;
        last_emit_ms = t;
    }
    ev.progress.tokens_per_sec = rate;
    sink(std::move(ev));
}
