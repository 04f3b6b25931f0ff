#!/usr/bin/python3
"""PyTorch-eager counterpart of LossDsl.Benchmarks/LossBenchmarks.cs.

Times forward + backward of the six losses of the README (plain focal and the five answers to
"my mask is symmetric") at 8x1xNxN float32 on CPU with 2 threads, written the way a PyTorch user
would write them: torchvision's sigmoid_focal_loss, masks as 0/1 tensors, transposes as views.
It mirrors `Losses.HandComposed` of the C# benchmark op for op.

Before timing, a quick self-check compares every loss here (value and gradient, float64) with the
project's float64 oracle (tests/oracle/reference.py, which implements docs/attributes.md).

Each loss is timed forward + backward and under no_grad (the value alone); --terms adds the region and set terms
(Dice, Jaccard, MatthewsCorrelation, and the Lovász hinge in Berman et al.'s reference code).

usage (Debian's PyTorch is installed for /usr/bin/python3 only):
    /usr/bin/python3 benchmarks/pytorch_losses.py [--rounds 30] [--n 512] [--terms] [--oracle DIR]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from torchvision.ops import sigmoid_focal_loss

NAMES = ["Focal", "MaskLower", "SymmetricTranspose", "TransposeConsistency", "SymmetricTranspose+MaskLower", "Symmetrize"]

# The same losses as oracle configurations (see reference.py's loss() and make_vectors.py's SEED_CASES).
_FOCAL = {"kind": "focal", "gamma": 2.0, "alpha": 0.25}
ORACLE_CONFIGS = {
    "Focal": {"terms": [_FOCAL]},
    "MaskLower": {"terms": [_FOCAL], "mask": "lower", "include_diagonal": True},
    "SymmetricTranspose": {"terms": [_FOCAL], "symmetric_transpose": True},
    "TransposeConsistency": {"terms": [_FOCAL],
                             "consistency": {"penalty": "huber", "delta": 1.0, "weight": 0.1, "space": "probabilities"}},
    "SymmetricTranspose+MaskLower": {"terms": [_FOCAL], "symmetric_transpose": True, "mask": "lower", "include_diagonal": True},
    "Symmetrize": {"terms": [_FOCAL], "symmetrize": True},
}


def focal(x, y, mask=None):
    """torchvision's focal loss (gamma 2, alpha 0.25); mean over all cells, or over the mask's cells in the batch."""
    loss = sigmoid_focal_loss(x, y, alpha=0.25, gamma=2, reduction="none")
    if mask is None:
        return loss.mean()
    return (loss * mask).sum() / (mask.sum() * (x.numel() / mask.numel()))


def make_losses(n, dtype):
    """name -> loss(x, y), as Losses.HandComposed(name, n) in LossBenchmarks.cs."""
    upper = torch.ones(n, n, dtype=dtype).triu()     # MaskLower keeps i <= j
    pairs = torch.ones(n, n, dtype=dtype).triu(1)    # the penalty's pairs j > i

    def transpose_consistency(x, y):
        p = torch.sigmoid(x)
        d = p - p.transpose(-1, -2)
        huber = F.huber_loss(d, torch.zeros_like(d), delta=1.0, reduction="none")
        return focal(x, y) + 0.1 * (huber * pairs).sum() / (pairs.sum() * (x.numel() / (n * n)))

    return {
        "Focal": lambda x, y: focal(x, y),
        "MaskLower": lambda x, y: focal(x, y, upper),
        "SymmetricTranspose": lambda x, y: focal(x, y) + focal(x.transpose(-1, -2), y),
        "TransposeConsistency": transpose_consistency,
        "SymmetricTranspose+MaskLower": lambda x, y: focal(x, y, upper) + focal(x.transpose(-1, -2), y, upper),
        "Symmetrize": lambda x, y: focal((x + x.transpose(-1, -2)) / 2, y),
    }


# The region and set terms, each alone with its defaults, as a PyTorch user writes them (segmentation_models_pytorch
# style soft scores per sample; the Lovász hinge is Berman et al.'s reference code, per image).
TERM_NAMES = ["Dice", "Jaccard", "MatthewsCorrelation", "LovaszHinge"]
ORACLE_CONFIGS.update({
    "Dice": {"terms": [{"kind": "dice", "smooth": 1.0}]},
    "Jaccard": {"terms": [{"kind": "jaccard", "smooth": 1.0}]},
    "MatthewsCorrelation": {"terms": [{"kind": "mcc", "smooth": 1e-5}]},
    "LovaszHinge": {"terms": [{"kind": "lovasz"}]},
})


def confusion(x, y):
    """Soft TP, FP, FN, TN per sample (every leading dimension but the map's is a sample dimension)."""
    p = torch.sigmoid(x).flatten(-2).flatten(0, -2)
    t = y.flatten(-2).flatten(0, -2)
    tp = (p * t).sum(1)
    fp = (p * (1 - t)).sum(1)
    fn = ((1 - p) * t).sum(1)
    tn = ((1 - p) * (1 - t)).sum(1)
    return tp, fp, fn, tn


def dice(x, y, s=1.0):
    tp, fp, fn, _ = confusion(x, y)
    return (1 - (2 * tp + s) / (2 * tp + fp + fn + s)).mean()


def jaccard(x, y, s=1.0):
    tp, fp, fn, _ = confusion(x, y)
    return (1 - (tp + s) / (tp + fp + fn + s)).mean()


def mcc(x, y, e=1e-5):
    tp, fp, fn, tn = (v + e for v in confusion(x, y))
    return (1 - (tp * tn - fp * fn) / torch.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))).mean()


def lovasz_grad(gt_sorted):
    """Berman et al.'s reference (LovaszSoftmax, lovasz_losses.py): gradient of the Lovász extension w.r.t. sorted errors.
    Its .float() casts are left out: the labels come in the logits' dtype already (float32 when timed, float64 in the
    self-check)."""
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.cumsum(0)
    union = gts + (1 - gt_sorted).cumsum(0)
    jacc = 1. - intersection / union
    if p > 1:
        jacc[1:p] = jacc[1:p] - jacc[0:-1]
    return jacc


def lovasz_hinge_flat(logits, labels):
    """Berman et al.'s reference lovasz_hinge_flat."""
    if len(labels) == 0:
        return logits.sum() * 0.
    signs = 2. * labels - 1.
    errors = (1. - logits * signs)
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    gt_sorted = labels[perm.data]
    grad = lovasz_grad(gt_sorted)
    return torch.dot(F.relu(errors_sorted), grad)


def lovasz_hinge(x, y):
    """Berman et al.'s lovasz_hinge(per_image=True): one image per sample, labels y >= 0.5."""
    xs = x.flatten(-2).flatten(0, -2)
    ys = (y >= 0.5).to(x.dtype).flatten(-2).flatten(0, -2)
    return torch.stack([lovasz_hinge_flat(a, b) for a, b in zip(xs, ys)]).mean()


def make_term_losses():
    return {"Dice": dice, "Jaccard": jaccard, "MatthewsCorrelation": mcc, "LovaszHinge": lovasz_hinge}


def self_check(oracle_dir, tol=1e-10):
    """Value and gradient of each loss vs the float64 oracle on a small 2x1x12x12 input with hard and soft targets."""
    if not (oracle_dir / "reference.py").is_file():
        print(f"self-check skipped: no oracle at {oracle_dir} (pass --oracle DIR)")
        return
    sys.path.insert(0, str(oracle_dir))
    import reference  # noqa: E402  (the oracle, from --oracle)

    n = 12
    g = torch.Generator().manual_seed(0)
    x0 = torch.randn(2, 1, n, n, generator=g, dtype=torch.float64) * 2
    y = (torch.rand(2, 1, n, n, generator=g) < 0.2).to(torch.float64)
    soft = torch.rand(2, 1, n, n, generator=g) < 0.15                     # a few soft targets among the hard ones
    y = torch.where(soft, torch.tensor([0.05, 0.3, 0.9], dtype=torch.float64)[torch.arange(y.numel()) % 3].view_as(y), y)
    losses = {**make_losses(n, torch.float64), **make_term_losses()}
    worst = 0.0
    failed = []
    for name in NAMES + TERM_NAMES:
        x = x0.clone().requires_grad_(True)
        v = losses[name](x, y)
        gx, = torch.autograd.grad(v, x)
        xr = x0.clone().requires_grad_(True)
        vr = reference.loss(ORACLE_CONFIGS[name], xr, y)
        gr, = torch.autograd.grad(vr, xr)
        err_v = abs(v.item() - vr.item()) / abs(vr.item())
        err_g = ((gx - gr).abs().max() / gr.abs().max()).item()   # relative to the gradient's largest entry
        worst = max(worst, err_v, err_g)
        ok = err_v <= tol and err_g <= tol
        if not ok:
            failed.append(name)
        print(f"  self-check {name:<29} value {v.item():.12g} (oracle {vr.item():.12g}) rel err {err_v:.1e}, "
              f"grad max rel err {err_g:.1e}  {'ok' if ok else 'MISMATCH'}")
    print(f"self-check vs oracle {oracle_dir / 'reference.py'}: {len(NAMES + TERM_NAMES)} losses, 2x1x{n}x{n} float64, "
          f"max rel err {worst:.1e} (tolerance {tol:.0e})")
    if failed:
        sys.exit("self-check failed for: " + ", ".join(failed))


def step(loss, x, y):
    """One forward and backward; autograd.grad hands the gradient back without accumulating it into x.grad."""
    value = loss(x, y)
    gradient, = torch.autograd.grad(value, x)
    return value.item() + gradient[0, 0, 0, 0].item()


def value_only(loss, x, y):
    """The value alone, as a validation loop computes it."""
    with torch.no_grad():
        return loss(x, y).item()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=30, help="timed rounds, each runs every loss once (default 30)")
    ap.add_argument("--n", type=int, default=512, help="map size N of the 8x1xNxN input (default 512)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps per loss before the rounds (default 3)")
    ap.add_argument("--oracle", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "oracle",
                    help="folder holding the oracle's reference.py (default: the repository's tests/oracle)")
    ap.add_argument("--terms", action="store_true",
                    help="also time Dice, Jaccard, MatthewsCorrelation and the Lovász hinge (Berman et al.'s reference code)")
    ap.add_argument("--only", default="", help="comma-separated loss names to time (default: all)")
    args = ap.parse_args()

    torch.set_num_threads(2)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError as e:  # only allowed before any inter-op work has started
        print("note: set_num_interop_threads(1) refused:", e)

    self_check(args.oracle)

    n = args.n
    torch.manual_seed(1)
    x = torch.randn(8, 1, n, n, requires_grad=True)
    y = (torch.rand(8, 1, n, n) < 0.05).float()
    losses = {**make_losses(n, torch.float32), **make_term_losses()}
    names = NAMES + (TERM_NAMES if args.terms else [])
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    ways = {"fwd+bwd": step, "no_grad": value_only}

    for name in names:
        for way in ways.values():
            for _ in range(args.warmup):
                way(losses[name], x, y)

    times = {(name, w): [] for name in names for w in ways}
    runs = list(times)
    for r in range(args.rounds):
        order = runs[r % len(runs):] + runs[:r % len(runs)]   # rotate the start so no loss always runs first
        for name, w in order:
            t0 = time.perf_counter()
            ways[w](losses[name], x, y)
            times[(name, w)].append((time.perf_counter() - t0) * 1e3)

    load = os.getloadavg()
    print()
    print(f"PyTorch {torch.__version__}, torchvision {torchvision.__version__}, CPU, threads {torch.get_num_threads()} "
          f"(inter-op {torch.get_num_interop_threads()}), 8x1x{n}x{n} float32, forward + backward and the value alone, "
          f"median of R={args.rounds} interleaved rounds after {args.warmup} warm-up steps each; "
          f"load avg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    print("| loss | PyTorch eager fwd+bwd (ms) | PyTorch eager no_grad (ms) |")
    print("|---|---:|---:|")
    for name in names:
        print(f"| {name} | {statistics.median(times[(name, 'fwd+bwd')]):.2f} | {statistics.median(times[(name, 'no_grad')]):.2f} |")


if __name__ == "__main__":
    main()
