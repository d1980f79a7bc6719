"""The report's AE code (OCR typos fixed), reading MNIST from the local IDX files
(through torchvision.datasets.MNIST when installed, else the stand-in in mnist_idx.py).
Usage: python3 ae.py [--epochs N] [--eval] [--out DIR]
Prints one JSON line per epoch and, with --eval, the test BCE in nats per image."""
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


# Autoencoder architecture
class Autoencoder(nn.Module):
    def __init__(self):
        super(Autoencoder, self).__init__()
        self.encoder = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28*28, 128),
            nn.ReLU(),
            nn.Linear(128, 2))
        self.decoder = nn.Sequential(
            nn.Linear(2, 128),
            nn.ReLU(),
            nn.Linear(128, 28*28),
            nn.Sigmoid())

    def forward(self, x):
        z = self.encoder(x)
        x_hat = self.decoder(z)
        return x_hat


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
test_loader = DataLoader(test_data, batch_size=128, shuffle=False)
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
model = Autoencoder().to(device)
criterion = nn.BCELoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
# Training loop
losses = []
for epoch in range(args.epochs):
    t0 = time.perf_counter()
    epoch_loss = 0
    for images, _ in train_loader:
        images = images.to(device)
        output = model(images)
        loss = criterion(output, images.view(-1, 28*28))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    losses.append(epoch_loss)
    print(json.dumps({"epoch": epoch + 1, "loss": epoch_loss, "seconds": time.perf_counter() - t0,
                      "batches": len(train_loader)}), flush=True)
torch.save(model.state_dict(), os.path.join(args.out, "ae_model.pth") if args.out else os.devnull)

if args.eval:
    with torch.no_grad():
        total = 0.0
        for images, _ in test_loader:
            x = images.view(-1, 784)
            total += nn.functional.binary_cross_entropy(model(images), x, reduction="sum").item()
    print(json.dumps({"test_bce": total / len(test_data)}), flush=True)
