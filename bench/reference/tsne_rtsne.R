# Reference timing for `npm run bench:tsne`: van der Maaten's C++ Barnes-Hut t-SNE through Debian's
# r-cran-rtsne (Rtsne), on the same input. Not a project dependency: used only to compare.
#
# Usage: Rscript bench/reference/tsne_rtsne.R IN.json OUT.json [threads] [perplexity] [seed]
#
# IN.json is an array of rows (like `npm run tsne`); OUT.json receives
# {"seconds": wall seconds of the Rtsne() call, "cpuSeconds": CPU seconds of the process over it
#  (user + system, all threads), "embedding": [[x, y], ...], "kl": last reported cost,
#  "rtsne": version, "threads": n}.
# Rtsne(X, perplexity = 30, theta = 0.5, max_iter = 1000, pca = FALSE, num_threads = threads,
#       check_duplicates = FALSE); everything else at Rtsne's defaults (random N(0, 1e-4) start,
# eta = 200, exaggeration 12 for 250 iterations, momentum 0.5 then 0.8, input normalised).
suppressPackageStartupMessages({
  library(Rtsne)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript tsne_rtsne.R IN.json OUT.json [threads] [perplexity] [seed]")
threads <- if (length(args) >= 3) as.integer(args[3]) else 2L
perplexity <- if (length(args) >= 4) as.numeric(args[4]) else 30
seed <- if (length(args) >= 5) as.integer(args[5]) else 0L
x <- as.matrix(fromJSON(args[1]))
storage.mode(x) <- "double"
set.seed(seed)
p0 <- proc.time()
r <- Rtsne(x, dims = 2, perplexity = perplexity, theta = 0.5, max_iter = 1000, pca = FALSE,
           check_duplicates = FALSE, num_threads = threads)
p1 <- proc.time()
seconds <- p1[["elapsed"]] - p0[["elapsed"]]
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
out <- list(seconds = seconds, cpuSeconds = cpu, embedding = unname(r$Y), kl = tail(r$itercosts, 1),
            rtsne = as.character(packageVersion("Rtsne")), threads = threads)
write(toJSON(out, auto_unbox = TRUE, digits = NA, matrix = "rowmajor"), args[2])
cat(sprintf("Rtsne %s (%d threads): %.2f s\n", out$rtsne, threads, seconds))
