"""The report's VAE code (OCR typos fixed), reading MNIST from the local IDX files
(through torchvision.datasets.MNIST when installed, else the stand-in in mnist_idx.py).
Usage: python3 vae.py [--epochs N] [--eval] [--out DIR]
Prints one JSON line per epoch and, with --eval, the test negative ELBO (BCE with a sampled z
plus KL) in nats per image."""
import argparse, json, os, sys, time
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
sys.path.insert(0, os.path.dirname(__file__))
from mnist_idx import MNIST, TensorBatches, have_torchvision, torchvision_root
from blas import blas_libraries

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--eval", action="store_true")
ap.add_argument("--out", default=None)
ap.add_argument("--seed", type=int, default=None)
ap.add_argument("--threads", type=int, default=None,
                help="torch.set_num_threads(N) (default: torch's own); OpenBLAS's threads follow "
                     "OPENBLAS_NUM_THREADS, which must be set before Python starts")
ap.add_argument("--loader", choices=["items", "tensor"], default="items",
                help="items: the report's per-image dataset (default); tensor: whole-tensor batches (stricter)")
ap.add_argument("--data", choices=["auto", "torchvision", "idx"], default="auto",
                help="torchvision: the report's datasets.MNIST over the local IDX files (default when "
                     "torchvision is installed); idx: the stand-in in mnist_idx.py")
args = ap.parse_args()
if args.data == "auto":
    args.data = "torchvision" if have_torchvision() else "idx"
if args.seed is not None:
    torch.manual_seed(args.seed)
if args.threads is not None:
    torch.set_num_threads(args.threads)


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.encoder_fc = nn.Linear(784, 128)
        self.mu = nn.Linear(128, 2)
        self.logvar = nn.Linear(128, 2)
        self.decoder = nn.Sequential(
            nn.Linear(2, 128),
            nn.ReLU(),
            nn.Linear(128, 784),
            nn.Sigmoid()
        )

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def forward(self, x):
        x = x.view(-1, 784)
        h = torch.relu(self.encoder_fc(x))
        mu = self.mu(h)
        logvar = self.logvar(h)
        z = self.reparameterize(mu, logvar)
        x_recon = self.decoder(z)
        return x_recon, mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = nn.functional.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


# Data loading
if args.data == "torchvision":
    from torchvision import datasets, transforms
    root = torchvision_root()  # MNIST/raw/ -> the local IDX files: download=True finds them
    transform = transforms.ToTensor()
    train_data = datasets.MNIST(root=root, train=True, download=True, transform=transform)
    test_data = datasets.MNIST(root=root, train=False, download=True, transform=transform)
else:
    train_data = MNIST(train=True)
    test_data = MNIST(train=False)
print(json.dumps({"data": args.data, "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"), "blas": blas_libraries()}), flush=True)
train_loader = DataLoader(train_data, batch_size=128, shuffle=True)
if args.loader == "tensor":
    train_loader = TensorBatches(train_data, batch_size=128)
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
vae = VAE().to(device)
optimizer = optim.Adam(vae.parameters(), lr=1e-3)
# Training loop
vae_losses = []
for epoch in range(args.epochs):
    t0 = time.perf_counter()
    epoch_loss = 0
    for images, _ in train_loader:
        images = images.to(device)
        recon_batch, mu, logvar = vae(images)
        loss = loss_function(recon_batch, images, mu, logvar)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    vae_losses.append(epoch_loss)
    print(json.dumps({"epoch": epoch + 1, "loss": epoch_loss, "seconds": time.perf_counter() - t0,
                      "batches": len(train_loader)}), flush=True)
torch.save(vae.state_dict(), os.path.join(args.out, "vae_model.pth") if args.out else os.devnull)

if args.eval:
    with torch.no_grad():
        total = 0.0
        for images, _ in DataLoader(test_data, batch_size=1000, shuffle=False):
            recon, mu, logvar = vae(images)
            total += loss_function(recon, images, mu, logvar).item()
    print(json.dumps({"test_neg_elbo": total / len(test_data)}), flush=True)
