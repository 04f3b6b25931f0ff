"""Reference semantics of the LossDsl attributes, written with PyTorch (Debian python3-torch).

The float64 oracle that wrote tests/vectors/ (make_vectors.py). It follows docs/attributes.md literally;
torchvision.ops.sigmoid_focal_loss and torch.nn.functional.binary_cross_entropy_with_logits are used where the
docs name them.
"""
import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss


def region_mask(n, dtype, mask=None, include_diagonal=True, min_sep=0):
    i = torch.arange(n).view(n, 1)
    j = torch.arange(n).view(1, n)
    m = torch.ones(n, n, dtype=torch.bool)
    if mask == "lower":      # MaskLower: lower half zeroed out, terms cover i <= j
        m &= (i <= j) if include_diagonal else (i < j)
    elif mask == "upper":    # MaskUpper: terms cover i >= j
        m &= (i >= j) if include_diagonal else (i > j)
    if min_sep > 0:
        m &= (i - j).abs() >= min_sep
    return m.to(dtype)


def focal(x, y, gamma, alpha):
    """torchvision's sigmoid_focal_loss, with the modulating factor (1 - p_t)^gamma taken in
    log space so that saturated logits give the true (finite) limit of value and gradient."""
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    log_m = torch.logaddexp(torch.log(y) + F.logsigmoid(-x), torch.log1p(-y) + F.logsigmoid(x))
    loss = ce * torch.exp(gamma * log_m)
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return loss


def elementwise(term, x, y):
    kind = term["kind"]
    if kind == "focal":
        return focal(x, y, term.get("gamma", 2.0), term.get("alpha", 0.25))
    if kind == "bce":
        ls = term.get("label_smoothing", 0.0)
        yy = y * (1 - ls) + 0.5 * ls
        pw = term.get("pos_weight", 1.0)
        return F.binary_cross_entropy_with_logits(x, yy, pos_weight=torch.tensor(pw, dtype=x.dtype), reduction="none")
    raise ValueError(kind)


def per_sample(t):
    # (..., N, N) -> (S, N*N): every leading dim is a sample dim
    n = t.shape[-1]
    return t.reshape(-1, t.shape[-2] * n)


def region_term(term, x, y, w, reduction):
    p = torch.sigmoid(x)
    P, Y, W = per_sample(p), per_sample(y), per_sample(w.expand_as(p))
    dims = (0, 1) if term.get("batch", False) else (1,)
    tp = (W * P * Y).sum(dims)
    fp = (W * P * (1 - Y)).sum(dims)
    fn = (W * (1 - P) * Y).sum(dims)
    kind = term["kind"]
    nonempty = W.sum(dims) > 0   # a sample with no covered cell contributes 0 (docs/attributes.md, "Terms")
    if kind == "mcc":
        tn = (W * (1 - P) * (1 - Y)).sum(dims)
        e = term.get("smooth", 1e-5)
        tp_, fp_, fn_, tn_ = tp + e, fp + e, fn + e, tn + e
        per = 1 - (tp_ * tn_ - fp_ * fn_) / torch.sqrt((tp_ + fp_) * (tp_ + fn_) * (tn_ + fp_) * (tn_ + fn_))
        per = torch.where(nonempty, per, torch.zeros_like(per))
        return per.mean() if reduction == "mean" else per.sum()
    # empty samples get smoothing 1 so that nothing divides by zero; their TP = FP = FN = 0 then give 0 exactly
    s = term.get("smooth", 1.0) + (~nonempty).to(P.dtype)
    if kind == "dice":
        per = 1 - (2 * tp + s) / (2 * tp + fp + fn + s)
    elif kind == "jaccard":
        per = 1 - (tp + s) / (tp + fp + fn + s)
    elif kind == "tversky":
        a, b, g = term.get("alpha", 0.5), term.get("beta", 0.5), term.get("gamma", 1.0)
        base = 1 - (tp + s) / (tp + a * fp + b * fn + s)
        # at the minimum (base = 0: an empty sample, or a perfect prediction) the value is 0 with gradient 0, also for γ < 1
        per = torch.where(base > 0, base.clamp_min(1e-300) ** g, torch.zeros_like(base))
    else:
        raise ValueError(kind)
    return per.mean() if reduction == "mean" else per.sum()


def lovasz_hinge_flat(x, y):
    """Berman et al. (CVPR 2018), the reference lovasz_hinge_flat: x, y 1-D over the covered cells, y in {0, 1}."""
    if y.numel() == 0:
        return x.sum() * 0.0
    signs = 2.0 * y - 1.0
    errors = 1.0 - x * signs
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    gt = y[perm]
    gts = gt.sum()
    intersection = gts - gt.cumsum(0)
    union = gts + (1 - gt).cumsum(0)
    jac = 1.0 - intersection / union
    if gt.numel() > 1:
        jac = torch.cat([jac[:1], jac[1:] - jac[:-1]])
    return torch.dot(F.relu(errors_sorted), jac)


def lovasz_term(term, x, y, w, reduction):
    """Lovász hinge per sample (or over the batch): the cells with w > 0 take part, labels are y >= 0.5."""
    X, Y, W = per_sample(x), per_sample((y >= 0.5).to(x.dtype)), per_sample(w.expand_as(x))
    if term.get("batch", False):
        X, Y, W = X.reshape(1, -1), Y.reshape(1, -1), W.reshape(1, -1)
    per = torch.stack([lovasz_hinge_flat(X[s][W[s] > 0], Y[s][W[s] > 0]) for s in range(X.shape[0])])
    return per.mean() if reduction == "mean" else per.sum()


def term_value(term, x, y, w, reduction):
    if term["kind"] in ("focal", "bce"):
        l = elementwise(term, x, y)
        W = w.expand_as(l)
        tot = (W * l).sum()
        if reduction == "sum":
            return tot
        cnt = W.sum()
        return tot / cnt if cnt > 0 else tot * 0
    if term["kind"] == "lovasz":
        return lovasz_term(term, x, y, w, reduction)
    return region_term(term, x, y, w, reduction)


def consistency(c, x, valid, min_sep, reduction):
    z = torch.sigmoid(x) if c.get("space", "probabilities") == "probabilities" else x
    d = z - z.transpose(-1, -2)
    n = x.shape[-1]
    i = torch.arange(n).view(n, 1)
    j = torch.arange(n).view(1, n)
    pairs = (j - i) >= max(1, min_sep)
    w = pairs.to(x.dtype)
    if valid is not None:
        w = w * valid * valid.transpose(-1, -2)
    pen = c.get("penalty", "huber")
    if pen == "l1":
        phi = d.abs()
    elif pen == "mse":
        phi = d * d
    else:
        delta = c.get("delta", 1.0)
        phi = F.huber_loss(d, torch.zeros_like(d), delta=delta, reduction="none")
    W = w.expand_as(phi)
    tot = (W * phi).sum()
    if reduction == "sum":
        return tot
    cnt = W.sum()
    return tot / cnt if cnt > 0 else tot * 0


def loss(cfg, x, y, valid=None):
    """cfg: dict(terms=[...], symmetrize, symmetric_transpose, mask, include_diagonal,
    min_separation, consistency, reduction)."""
    reduction = cfg.get("reduction", "mean")
    if cfg.get("symmetrize"):
        x = (x + x.transpose(-1, -2)) / 2
    n = x.shape[-1]
    w = region_mask(n, x.dtype, cfg.get("mask"), cfg.get("include_diagonal", True), cfg.get("min_separation", 0))
    if valid is not None:
        w = w * valid
    total = x.new_zeros(())
    for t in cfg["terms"]:
        v = term_value(t, x, y, w, reduction)
        if cfg.get("symmetric_transpose"):
            v = v + term_value(t, x.transpose(-1, -2), y, w, reduction)
        total = total + t.get("weight", 1.0) * v
    c = cfg.get("consistency")
    if c:
        total = total + c.get("weight", 0.1) * consistency(c, x, valid, cfg.get("min_separation", 0), reduction)
    return total
