#include <math.h>

/* torchvision's sigmoid_focal_loss (alpha 0.25, gamma 2, reduction "mean") and its gradient with respect to the
   logits in one loop: the value summed, the gradient stored. Cells in blocks: float sums within a block (vectorized),
   double across blocks (as many threads as asked). */
double focal_forward_backward(const float *restrict x, const float *restrict y, float *restrict g, long n, int threads)
{
    const float alpha = 0.25f, scale = 1.0f / (float)n;
    const long block = 4096;
    double total = 0;
#pragma omp parallel for reduction(+ : total) num_threads(threads) schedule(static)
    for (long b = 0; b < n; b += block)
    {
        long end = b + block < n ? b + block : n;
        float sum = 0;
#pragma omp simd reduction(+ : sum)
        for (long i = b; i < end; i++)
        {
            float xi = x[i], yi = y[i];
            float e = expf(-fabsf(xi));
            float r = 1.0f / (1.0f + e);
            float p = xi >= 0 ? r : e * r;
            float ce = fmaxf(xi, 0.0f) - xi * yi + log1pf(e);
            float m = 1.0f - (p * yi + (1.0f - p) * (1.0f - yi));
            float at = alpha * yi + (1.0f - alpha) * (1.0f - yi);
            sum += at * ce * m * m;
            g[i] = at * ((p - yi) * m * m + 2.0f * ce * m * p * (1.0f - p) * (1.0f - 2.0f * yi)) * scale;
        }
        total += sum;
    }
    return total / (double)n;
}
