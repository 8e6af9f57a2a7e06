"""Model files and checkpoints: safetensors on disk, atomic writes, hostile files refused.

A model file is one safetensors file (https://github.com/huggingface/safetensors): an 8-byte
little-endian header length N, N bytes of JSON naming every tensor's dtype, shape and byte
range, then the raw bytes. deltaprop stores

* the tensors ``w0, b0, w1, b1, ...``: ``w{l}`` is ``weights[l]``, ``(n_l, n_{l+1})``, with
  w_ij from neuron i of layer l to neuron j of layer l + 1; ``b{l}`` is ``biases[l]``,
  ``(n_{l+1},)``; all in the network's dtype (float32 or float64);
* string metadata: ``deltaprop.format`` (the format version, ``"1"``), ``deltaprop.kind``
  (``"model"`` or ``"checkpoint"``), ``deltaprop.version`` (the package that wrote it), and the
  architecture: ``deltaprop.sizes``, ``deltaprop.activations`` (one per layer of weights),
  ``deltaprop.cost``, ``deltaprop.init``, ``deltaprop.dtype``; the user's own metadata under
  ``user.<key>``, each value JSON-encoded.

A checkpoint adds the optimizer (``optimizer.<key>`` tensors for its state arrays, and
``deltaprop.optimizer``: JSON with its name, hyperparameters and step count) and the
training loop's ``state`` (``deltaprop.state``: JSON; NumPy arrays at its top level become
``state.<key>`` tensors).

Nothing here unpickles or executes anything. ``load`` reads the bytes and checks the header
length against the file size, the JSON, every dtype, shape and byte range (they must tile
the data exactly: no gaps, no overlaps) before safetensors sees the bytes, so a hostile file
can make it allocate no more than the file's own size and gets a :class:`ModelFileError`
(see :mod:`deltaprop._safetensors_layout`).
OS errors (a missing file, no permission) propagate unchanged: ``FileNotFoundError`` for a
path that does not exist. A run folder may stand for its file, as in every command: ``load``
reads its model (else its checkpoint), ``load_checkpoint`` its checkpoint
(:func:`.run_folder.weights_file`); a folder without them is an ``IsADirectoryError``.

The package, one layer on the next: :mod:`.container` is what every deltaprop file shares (the
metadata keys, reading and checking a file, the atomic write); :mod:`.model` stores a network
(:func:`save`, :func:`load`, :func:`read_metadata`, both at once
:func:`load_with_metadata`); :mod:`.checkpoint` adds the optimizer and
the training loop's state (:func:`save_checkpoint`, :func:`load_checkpoint`).
"""

from ..errors import ModelFileError
from .checkpoint import load_checkpoint, save_checkpoint
from .container import (
    CLASS_NAMES,
    FORMAT_NAME,
    FORMAT_VERSION,
    KIND_CHECKPOINT,
    KIND_MODEL,
    WRITE_CHUNK_BYTES,
)
from .model import load, load_with_metadata, read_metadata, save

__all__ = [
    "CLASS_NAMES",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "KIND_CHECKPOINT",
    "KIND_MODEL",
    "WRITE_CHUNK_BYTES",
    "ModelFileError",
    "load",
    "load_checkpoint",
    "load_with_metadata",
    "read_metadata",
    "save",
    "save_checkpoint",
]
