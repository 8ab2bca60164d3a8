#!/usr/bin/env python3
"""PyTorch (CPU) twin of `npm run bench` (src/cli/bench.ts): training steps per second of every method on
exactly the same setup, and one 128x128 grid evaluation.

Reads one JSON object on stdin (written by src/cli/benchTorch.ts):
  x [n*2] floats, y [n] ints, nClasses, box (the attack clip box, already rounded inward to float32 as
  attacks.ts innerFloat32Box does), gridBox (the data box the grid spans), weights [{W: nIn x nOut, b: nOut}]
  (the bench model's initial weights, row-vector convention x.W + b), methods [{id, hyper, variant}],
  seconds, eps, batchSize, lr, epochs, threads (a list: "default" and/or thread counts).
Prints one JSON object on stdout; progress goes to stderr.

Every method mirrors the loss of its module in src/ml/methods/*.ts op for op (same passes, same hand-written
input-gradient backward for the second-order methods, same attack steps), so both sides do the same work per
step. The trainer loop mirrors src/ml/trainer.ts: one permutation per epoch, minibatches of 128, 128, 128, 16
for 400 points, Adam(lr, 0.9, 0.999, 1e-8), loss and squared gradient norm read back and checked every step,
then the method's after-update hook.
"""

import ctypes
import json
import math
import os
import platform
import re
import statistics
import sys
import time

import torch

ROUNDING_GUARD = 2.0**-21  # ball.ts: projection radius = eps - 2^-21
CURE_RAMP = 0.2  # cure.ts
GRAM_SQUARINGS = 10  # lipschitz.ts
EVAL_CHUNK = 8192  # metrics.ts logitsOf


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Mlp:
    """Raw weight tensors, row-vector convention (model.ts): z = a.W + b, ReLU between layers."""

    def __init__(self, plain):
        self.layers = []
        for layer in plain:
            W = torch.tensor(layer["W"], dtype=torch.float32).requires_grad_(True)
            b = torch.tensor(layer["b"], dtype=torch.float32).requires_grad_(True)
            self.layers.append((W, b))

    def params(self):
        return [p for layer in self.layers for p in layer]

    def forward_cache(self, x):
        pre = []
        a = x
        last = len(self.layers) - 1
        for k, (W, b) in enumerate(self.layers):
            # addmm = matMul + add in one kernel (what nn.Linear runs); the same arithmetic as model.ts.
            z = torch.addmm(b, a, W)
            if k == last:
                return z, pre
            pre.append(z)
            a = torch.relu(z)
        raise AssertionError("unreachable")

    def forward(self, x):
        return self.forward_cache(x)[0]

    def backprop_to_input(self, pre, d_logits):
        """model.ts backpropToInput: g <- (g.W_l^T) * step(z_{l-1}); grad_x = g.W_1^T. Differentiable in W."""
        g = d_logits
        for k in range(len(self.layers) - 1, 0, -1):
            g = torch.matmul(g, self.layers[k][0].t())
            g = g * (pre[k - 1] > 0).to(g.dtype)  # tf.step(z): 1 where z > 0, else 0
        return torch.matmul(g, self.layers[0][0].t())


# ---- losses.ts ----


def cross_entropy(logits, y1h):
    return -(y1h * torch.log_softmax(logits, 1)).sum(1)


def kl_divergence(zp, zq):
    logp = torch.log_softmax(zp, 1)
    logq = torch.log_softmax(zq, 1)
    return (torch.exp(logp) * (logp - logq)).sum(1)


def input_grad_ce(model, x, y1h):
    logits, pre = model.forward_cache(x)
    ce = cross_entropy(logits, y1h)
    d = torch.softmax(logits, 1) - y1h
    return logits, ce, model.backprop_to_input(pre, d)


# ---- ball.ts ----


class Ball:
    def __init__(self, eps, box):
        self.eps = eps
        self.r = max(0.0, eps - ROUNDING_GUARD)
        self.lo = torch.tensor([[box["xMin"], box["yMin"]]], dtype=torch.float32)
        self.hi = torch.tensor([[box["xMax"], box["yMax"]]], dtype=torch.float32)

    def clip_box(self, p):
        return torch.minimum(torch.maximum(p, self.lo), self.hi)

    def project(self, x_adv, x):
        """L-inf ball (coordinate clip to the projection radius), then the box."""
        delta = torch.clamp(x_adv - x, -self.r, self.r)
        return self.clip_box(x + delta)

    def uniform_offsets(self, n):
        return torch.empty(n, 2).uniform_(-self.r, self.r)


# ---- the attacks ----


def pgd_train(model, x, y1h, ball, steps, step_size):
    """attacks.ts pgd with TRAIN_PGD (AT, RST): uniform start, K sign steps on the non-saturating CE objective
    logsumexp_{c!=y} z_c - z_y through autograd (tf.grad in ours), last iterate, no restarts."""
    cur = ball.project(x + ball.uniform_offsets(x.shape[0]), x)
    for _ in range(steps):
        xi = cur.detach().requires_grad_(True)
        logits = model.forward(xi)
        others = logits - y1h * 1e30
        score = torch.logsumexp(others, 1) - (logits * y1h).sum(1)
        (g,) = torch.autograd.grad(score.sum(), xi)
        with torch.no_grad():
            cur = ball.project(cur + torch.sign(g) * step_size, x)
    return cur.detach()


@torch.no_grad()
def trades_attack(model, x, ball, steps, n_classes):
    """trades.ts tradesAttack: eval mode, p_clean = softmax f(x), start x + 0.001 N(0, I), K sign steps of 2eps/K
    on KL(p_clean || p(x')) with the hand-written backward of klLogitGrad (no tape), projected each step."""
    step_size = 2 * ball.eps / steps
    p_clean = torch.softmax(model.forward(x), 1)
    cur = x + 0.001 * torch.randn(x.shape[0], 2)
    for _ in range(steps):
        logits, pre = model.forward_cache(cur)
        d = torch.softmax(logits, 1) - p_clean
        top = torch.nn.functional.one_hot(torch.argmax(p_clean, 1), n_classes).to(torch.float32)
        rest = d * (1 - top)
        exact = rest - top * rest.sum(1, keepdim=True)
        den = exact.abs().amax(1, keepdim=True)
        kgrad = torch.where(den == 0, torch.zeros_like(exact), exact / den)  # tf.divNoNan
        g = model.backprop_to_input(pre, kgrad)
        cur = ball.project(cur + torch.sign(g) * step_size, x)
    return cur


@torch.no_grad()
def llr_qin_attack(model, x, y1h, ball, steps):
    """llr.ts llrQinAttack: uniform start, K sign steps of eps/4 on |l(x+d) - l(x) - d.grad l(x)|, grad l(x) held
    constant; every input gradient by the hand-written backward (inputGradCE), untaped."""
    start = ball.uniform_offsets(x.shape[0])
    _, ce0, g0 = input_grad_ce(model, x, y1h)
    x_adv = ball.project(x + start, x)
    for _ in range(steps):
        delta = x_adv - x
        _, ce1, g1 = input_grad_ce(model, x_adv, y1h)
        inner = ce1 - ce0 - (delta * g0).sum(1)
        d_gamma = torch.sign(inner).unsqueeze(1) * (g1 - g0)
        x_adv = ball.project(x_adv + torch.sign(d_gamma) * (ball.eps / 4), x)
    return x_adv


# ---- the methods: prepare (constants) and loss, as in src/ml/methods/*.ts ----


def method_natural(_h):
    def prepare(model, x, y1h, ctx):
        return {}

    def loss(model, x, y1h, prep, ctx):
        return cross_entropy(model.forward(x), y1h).mean()

    return prepare, loss, None


def method_at(h):
    steps, frac = round(h["steps"]), h["stepFrac"]

    def prepare(model, x, y1h, ctx):
        return {"x_adv": pgd_train(model, x, y1h, ctx["ball"], steps, frac * ctx["ball"].eps)}

    def loss(model, x, y1h, prep, ctx):
        return cross_entropy(model.forward(prep["x_adv"]), y1h).mean()

    return prepare, loss, None


def method_rst(h):
    steps, frac, lam = round(h["steps"]), h["stepFrac"], h["lambda"]

    def prepare(model, x, y1h, ctx):
        return {"x_adv": pgd_train(model, x, y1h, ctx["ball"], steps, frac * ctx["ball"].eps)}

    def loss(model, x, y1h, prep, ctx):
        clean = cross_entropy(model.forward(x), y1h).mean()
        adv = cross_entropy(model.forward(prep["x_adv"]), y1h).mean()
        return clean + lam * adv

    return prepare, loss, None


def method_trades(h):
    beta, steps = h["beta"], round(h["steps"])

    def prepare(model, x, y1h, ctx):
        return {"x_adv": trades_attack(model, x, ctx["ball"], steps, y1h.shape[1])}

    def loss(model, x, y1h, prep, ctx):
        z_clean = model.forward(x)
        z_adv = model.forward(prep["x_adv"])
        ce = cross_entropy(z_clean, y1h).mean()
        return ce + beta * kl_divergence(z_clean, z_adv).mean()

    return prepare, loss, None


def method_llr(h, variant):
    if variant != "qin":
        raise ValueError(f'llr variant "{variant}" is not mirrored here (only "qin", the default)')
    lam, mu, steps = h["lambda"], h["mu"], max(0, round(h["steps"]))

    def prepare(model, x, y1h, ctx):
        return {"x_adv": llr_qin_attack(model, x, y1h, ctx["ball"], steps)}

    def loss(model, x, y1h, prep, ctx):
        x_adv = prep["x_adv"]
        _, ce0, g0 = input_grad_ce(model, x, y1h)  # differentiable: g0 depends on the weights
        ce_adv = cross_entropy(model.forward(x_adv), y1h)
        linear = ((x_adv - x) * g0).sum(1)
        gamma = torch.abs(ce_adv - ce0 - linear)
        return (ce0 + gamma * lam + torch.abs(linear) * mu).mean()

    return prepare, loss, None


def method_gr(h, variant):
    if variant != "l2sq":
        raise ValueError(f'gr variant "{variant}" is not mirrored here (only "l2sq", the default)')
    lam = h["lambda"]

    def prepare(model, x, y1h, ctx):
        return {}

    def loss(model, x, y1h, prep, ctx):
        _, ce, g = input_grad_ce(model, x, y1h)
        return (ce + (g * g).sum(1) * (lam / 2)).mean()

    return prepare, loss, None


def method_cure(h, variant):
    if variant != "paper":
        raise ValueError(f'cure variant "{variant}" is not mirrored here (only "paper", the default)')
    gamma = h["gamma"]

    def prepare(model, x, y1h, ctx):
        with torch.no_grad():
            _, _, g = input_grad_ce(model, x, y1h)
            s = torch.sign(g)
            length = torch.sqrt((s * s).sum(1, keepdim=True))
            ramp = min(1.0, max(0.0, ctx["progress"]) / CURE_RAMP)
            hstep = math.sqrt(2) * ctx["ball"].eps * (0.1 + 0.9 * ramp)  # cureH, L-inf
            z = s / torch.clamp(length, min=1) * hstep
            return {"xz": ctx["ball"].clip_box(x + z)}

    def loss(model, x, y1h, prep, ctx):
        _, ce, g = input_grad_ce(model, x, y1h)
        _, _, gz = input_grad_ce(model, prep["xz"], y1h)
        sq = ((gz - g) ** 2).sum(1)
        return ce.mean() + sq.mean() * gamma

    return prepare, loss, None


def spectral_norm_upper_bound(W, squarings=GRAM_SQUARINGS):
    """lipschitz.ts spectralNormUpperBound: exact for a 2x2 Gram matrix, else k normalised squarings."""
    n_in, n_out = W.shape
    n = min(n_in, n_out)
    if n == 1:
        return torch.linalg.norm(W)
    G = W @ W.t() if n_in <= n_out else W.t() @ W
    if n == 2:
        a, b, _, d = G.reshape(4).split(1)
        half = (a - d) / 2
        lam = (a + d) / 2 + torch.sqrt(half * half + b * b)
        return torch.sqrt(lam.reshape(()))
    trace = torch.clamp((W * W).sum(), min=1e-30)
    log_lam = torch.log(trace)
    g = G / trace
    for j in range(1, squarings + 1):
        t = torch.clamp((g * g).sum(), min=1e-30)
        log_lam = log_lam + torch.log(t) * 2.0**-j
        if j < squarings:
            g = (g @ g) / t
    return torch.exp(log_lam * 0.5)


def method_lipschitz(h):
    target = h["targetL"]

    def prepare(model, x, y1h, ctx):
        return {}

    def loss(model, x, y1h, prep, ctx):
        return cross_entropy(model.forward(x), y1h).mean()

    @torch.no_grad()
    def after_update(model):
        c = target ** (1 / len(model.layers))
        for W, _ in model.layers:
            W.mul_(torch.clamp(c / spectral_norm_upper_bound(W), max=1))

    return prepare, loss, after_update


def make_method(spec):
    mid, h, variant = spec["id"], spec["hyper"], spec.get("variant", "")
    table = {
        "natural": lambda: method_natural(h),
        "at": lambda: method_at(h),
        "rst": lambda: method_rst(h),
        "trades": lambda: method_trades(h),
        "llr": lambda: method_llr(h, variant),
        "gr": lambda: method_gr(h, variant),
        "cure": lambda: method_cure(h, variant),
        "lipschitz": lambda: method_lipschitz(h),
    }
    if mid not in table:
        raise ValueError(f'method "{mid}" has no PyTorch twin')
    return table[mid]()


IMPLEMENTS = {
    "natural": "mean CE(f(x)); 1 forward + backward",
    "at": "PGD-K (K = steps, alpha = stepFrac*eps, uniform start, L-inf projection + box clip, no restarts, last "
    "iterate) on logsumexp_{c!=y} z_c - z_y via autograd, then mean CE(f(x_adv)); K+1 forward/backward",
    "trades": "p_clean = softmax f(x); start x + 0.001 N(0,I); K sign steps of 2eps/K on KL with the normalised "
    "KL logit gradient and the hand-written input backward (untaped); loss mean CE(f(x)) + beta mean "
    "KL(p(x) || p(x_adv)), gradient through both branches",
    "llr": "qin variant: uniform start, K sign steps of eps/4 on |gamma| with grad l(x) constant (hand-written input "
    "gradients, untaped); loss mean[l(x) + lambda |l(x+d) - l(x) - d.grad l(x)| + mu |d.grad l(x)|] with grad l(x) "
    "differentiable (hand-written backward inside autograd, i.e. double backprop)",
    "gr": "l2sq variant: mean[CE + lambda/2 ||grad_x CE||^2] with the hand-written input gradient inside autograd",
    "cure": "paper variant (p = 2): z = h sign(g)/||sign(g)||, h by the same ramp; loss mean CE + gamma "
    "mean ||grad l(x+z) - grad l(x)||^2, both input gradients differentiable (hand-written backward)",
    "lipschitz": "mean CE, then after each update W <- W min(1, c/sigma_hat(W)) with the same Gram-matrix bound "
    "(closed form for the 2-wide layers, 10 normalised squarings for the 64x64 one)",
    "rst": "PGD as AT, loss mean CE(f(x)) + lambda mean CE(f(x_adv))",
}

DEVIATIONS = [
    "Linear layers use torch.addmm (the nn.Linear kernel: matMul and bias add fused); ours runs tf.matMul then "
    "tf.add. Same arithmetic.",
    "Random numbers come from torch's generator (uniform starts, Gaussian starts, batch permutations); ours draws "
    "them in JS from its seeded Rng and uploads them. Same counts and distributions.",
    "The trainer's NaN guard keeps the pre-step weights as tfjs clones (shared storage, no copy); here nothing is "
    "copied. The loss and squared gradient norm are still computed, read back and checked every step.",
    "No method has work that torch cannot mirror at this size; dropout is off in the bench (as in bench.ts), so "
    "no masks are drawn on either side.",
]


def steps_per_second(spec, data, weights, cfg, seconds):
    torch.manual_seed(0)
    prepare, loss_fn, after_update = make_method(spec)
    model = Mlp(weights)
    opt = torch.optim.Adam(model.params(), lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-8)
    x_all, y1h_all = data
    n = x_all.shape[0]
    batch = cfg["batchSize"]
    steps_per_epoch = math.ceil(n / batch)
    total_steps = steps_per_epoch * cfg["epochs"]
    ball = cfg["ball"]
    state = {"order": None, "cursor": 0, "step": 0, "bad": 0}

    def train_step():
        if state["cursor"] == 0:
            state["order"] = torch.randperm(n)
        idx = state["order"][state["cursor"] : min(state["cursor"] + batch, n)]
        ctx = {"ball": ball, "progress": state["step"] / total_steps}
        x = x_all.index_select(0, idx)
        y1h = y1h_all.index_select(0, idx)
        prep = prepare(model, x, y1h, ctx)
        for p in model.params():
            p.grad = None
        value = loss_fn(model, x, y1h, prep, ctx)
        value.backward()
        grad_sq = sum((p.grad * p.grad).sum() for p in model.params())
        opt.step()
        loss_v, grad_v = value.item(), grad_sq.item()
        if not (math.isfinite(loss_v) and math.isfinite(grad_v)):
            state["bad"] += 1
        if after_update is not None:
            after_update(model)
        state["step"] += 1
        state["cursor"] += idx.shape[0]
        if state["cursor"] >= n:
            state["cursor"] = 0

    for _ in range(3):
        train_step()
    times = []
    t0 = time.perf_counter()
    last = t0
    while last - t0 < seconds or len(times) < 5:
        train_step()
        now = time.perf_counter()
        times.append(now - last)
        last = now
    sps = len(times) / (last - t0)
    return sps, statistics.median(times) * 1000, state["bad"]


@torch.no_grad()
def grid_ms(weights, grid_box, resolution=128):
    model = Mlp(weights)

    def evaluate():
        # metrics.ts gridPoints: cell centres, rows from the top; then logitsOf in chunks and the class probability.
        dx = (grid_box["xMax"] - grid_box["xMin"]) / resolution
        dy = (grid_box["yMax"] - grid_box["yMin"]) / resolution
        cols = grid_box["xMin"] + (torch.arange(resolution, dtype=torch.float32) + 0.5) * dx
        rows = grid_box["yMax"] - (torch.arange(resolution, dtype=torch.float32) + 0.5) * dy
        yy, xx = torch.meshgrid(rows, cols, indexing="ij")
        pts = torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
        out = []
        for s in range(0, pts.shape[0], EVAL_CHUNK):
            out.append(torch.softmax(model.forward(pts[s : s + EVAL_CHUNK]), 1))
        return torch.cat(out).numpy()

    evaluate()
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        evaluate()
        times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)[3]


def loaded_blas():
    """The BLAS library torch's matmuls run on (read from this process's memory map after a matmul), and its
    thread control when it is OpenBLAS. Debian's python3-torch is built with BLAS_INFO=generic and uses whatever
    libblas.so.3 the alternatives system points to: the netlib reference BLAS (libblas3) unless an optimised one
    (e.g. libopenblas0-pthread) is installed."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    paths = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if ("blas" in name or "mkl" in name) and path not in paths:
                paths.append(path)
    openblas = None
    for path in paths:
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_num_threads.restype = ctypes.c_int
                openblas = lib
            except (OSError, AttributeError):
                pass
    reference = bool(paths) and all(re.search(r"/blas/libblas\.so", p) for p in paths)
    build = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return {
        "libraries": paths,
        "buildBlas": build.group(1) if build else None,
        "reference": reference,
        "openblas": openblas,
    }


def main():
    inp = json.load(sys.stdin)
    default_threads = torch.get_num_threads()
    blas = loaded_blas()
    openblas = blas.pop("openblas")
    default_blas_threads = openblas.openblas_get_num_threads() if openblas else None
    blas["defaultThreads"] = default_blas_threads
    if blas["reference"]:
        log(
            "torch: matmuls run on the netlib reference BLAS (" + ", ".join(blas["libraries"]) + "), which is far "
            "slower than the MKL/OpenBLAS a PyTorch wheel ships; install libopenblas0-pthread for a fair comparison"
        )
    x = torch.tensor(inp["x"], dtype=torch.float32).reshape(-1, 2)
    y = torch.tensor(inp["y"], dtype=torch.int64)
    y1h = torch.nn.functional.one_hot(y, inp["nClasses"]).to(torch.float32)
    ball = Ball(inp["eps"], inp["box"])
    cfg = {"lr": inp["lr"], "batchSize": inp["batchSize"], "epochs": inp["epochs"], "ball": ball}
    seconds = float(inp["seconds"])

    # Thread settings: "default" leaves torch (and OpenBLAS) as they start; a count n sets both to n.
    settings = []
    for t in inp.get("threads", ["default", 1]):
        label = str(t)
        key = (default_threads, default_blas_threads) if t == "default" else (int(t), int(t) if openblas else None)
        for s in settings:
            if s["key"] == key:
                s["labels"].append(label)
                break
        else:
            settings.append({"key": key, "labels": [label]})

    runs = []
    errors = {}
    for setting in settings:
        n_threads, n_blas = setting["key"]
        torch.set_num_threads(n_threads)
        if openblas and n_blas is not None:
            openblas.openblas_set_num_threads(n_blas)
        tag = f"torch ({n_threads} thread{'s' if n_threads != 1 else ''}" + (
            f", OpenBLAS {n_blas})" if n_blas is not None else ")"
        )
        per_method = {}
        median_ms = {}
        non_finite = {}
        for spec in inp["methods"]:
            mid = spec["id"]
            try:
                sps, med_ms, bad = steps_per_second(spec, (x, y1h), inp["weights"], cfg, seconds)
            except ValueError as e:
                errors[mid] = str(e)
                log(f"torch {mid}: skipped ({e})")
                continue
            per_method[mid] = round(sps, 1)
            median_ms[mid] = round(med_ms, 3)
            if bad:
                non_finite[mid] = bad
            log(f"{tag} {mid}: {per_method[mid]} steps/s (median step {median_ms[mid]} ms)")
        grid = round(grid_ms(inp["weights"], inp["gridBox"]), 2)
        log(f"{tag} grid 128x128: {grid} ms")
        run = {
            "labels": setting["labels"],
            "threads": n_threads,
            "blasThreads": n_blas,
            "stepsPerSecond": per_method,
            "medianStepMs": median_ms,
            "grid128Ms": grid,
        }
        if non_finite:
            run["nonFiniteSteps"] = non_finite
        runs.append(run)
    torch.set_num_threads(default_threads)

    result = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "cpuCount": os.cpu_count(),
        "defaultThreads": default_threads,
        "interopThreads": torch.get_num_interop_threads(),
        "blas": blas,
        "runs": runs,
        "implements": {s["id"]: IMPLEMENTS.get(s["id"], "") for s in inp["methods"]},
        "deviations": DEVIATIONS,
    }
    if errors:
        result["errors"] = errors
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
