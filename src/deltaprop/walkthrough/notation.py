"""How the walk-through names things: Nielsen's a, z, δ, C or Mazur's out, net, E_total.

Both take the package's indices (layer m = 0..L of neurons, 0 the input; neuron j from 0;
``weights[l][i, j]`` from neuron i of layer l to neuron j of layer l + 1) and print them the
way their source does, counting from 1:

* ``"nielsen"`` (*Neural Networks and Deep Learning*): layers 1..L+1 with the input layer 1,
  a^l_j = σ(z^l_j), δ^l_j, b^l_j, and w^l_jk — the weight *into* neuron j of layer l *from*
  neuron k of layer l − 1 (so the package's ``weights[l][i, j]`` is Nielsen's w^(l+2)_(j+1)(i+1)).
  A sum too long to write term by term keeps his symbols: z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j
  forward, ∂C_x/∂a^l_j = Σ_k w^(l+1)_kj δ^(l+1)_k back (the package's Σ_k w_jk δ_k over the
  neurons k that j feeds), Σ_k ∂C_x/∂a^L_k a^L_k for softmax. One output's term of C_x has no
  name of its own: a subscript on C is his example index (C_x), so it is written out, ½(y_j − a^L_j)².
* ``"mazur"`` (Mazur's 2015 post): inputs i1, i2 …, hidden neurons h1, h2 … (h2.1, h2.2 …
  with several hidden layers, the number before the dot counting hidden layers), outputs
  o1, o2 …; out_h1, net_h1, δ_h1, E_total; the weights numbered w1, w2 … layer by layer, by
  the neuron they feed and then the neuron they come from (w1: i1→h1, w2: i2→h1, w3: i1→h2
  …), as the post numbers them; the bias of h1 is b_h1 (the post's b1 is shared by h1, h2).
  A long sum is written in his out and net with the package's w_ij (from i to j):
  net_h1 = Σ_i w_i,h1 out_i + b_h1, ∂E_x/∂out_h1 = Σ_j w_h1,j δ_j, Σ_k ∂E_x/∂out_k out_k —
  out, never o, which names his output neurons o1, o2 ….

One example's cost is C_x (E_x) and the batch's C = 1/n Σ_x C_x (E_total); with a single
example they are the same number and the walk-through writes C (E_total).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace

from .math import Frac, Op, Paren, Sym

NOTATIONS = ("nielsen", "mazur")


class Notation(ABC):
    """Symbols for one network: neurons, weights, biases, δ, the cost and its derivatives."""

    name = ""
    net_name = out_name = ""
    # Any one weight, in prose: its name, which way it points, and the output and the δ whose
    # product is its gradient, ∂C/∂w = source · delta, each with the indices of this notation.
    weight_any = ""
    weight_direction = ""
    weight_source = ""
    weight_delta = ""
    # How the book names the four equations of backpropagation ("BP{}": Nielsen's ch. 2), or "".
    equation_names = ""
    # How the source marks a value after the step: Nielsen's w → w′, Mazur's w5⁺.
    after_mark = ""

    def __init__(self, sizes: list[int]):
        self.sizes = list(sizes)
        self.L = len(sizes) - 1

    def bp(self, number: int) -> str:
        """The book's name for equation ``number`` of backpropagation (``"BP2"``), or "" if it has none."""
        return self.equation_names.format(number)

    @abstractmethod
    def o(self, m: int, j: int) -> Sym:
        """o_j (a or out) of neuron j of layer m; the inputs for m = 0."""

    @abstractmethod
    def net(self, m: int, j: int) -> Sym:
        """The weighted input (z or net) of neuron j of layer m ≥ 1."""

    @abstractmethod
    def delta(self, m: int, j: int) -> Sym:
        """δ of neuron j of layer m ≥ 1."""

    @abstractmethod
    def after(self, symbol: Sym) -> Sym:
        """``symbol`` marked as the value after the step: Nielsen's w³₁₁′, C′; Mazur's w5⁺, E⁺_total."""

    @abstractmethod
    def w(self, l: int, i: int, j: int, new: bool = False) -> Sym:
        """w_ij of ``weights[l]``; ``new`` marks the value after the step (:meth:`after`)."""

    @abstractmethod
    def b(self, l: int, j: int, new: bool = False) -> Sym:
        """The bias of neuron j of layer l + 1 (``biases[l][j]``)."""

    @abstractmethod
    def y(self, j: int) -> Sym:
        """The target of output j."""

    @abstractmethod
    def cost(self) -> Sym:
        """The cost (C or E_total)."""

    @abstractmethod
    def cost_share(self, j: int) -> Sym | None:
        """Output j's term of the cost, or None where the notation gives it no name of its own."""

    def sample_cost(self, n_samples: int) -> Sym:
        """One example's cost C_x, the one its δ and ∂C/∂o differentiate: C itself for one example."""
        C = self.cost()
        return C if n_samples == 1 else Sym(C.base, "x")

    @abstractmethod
    def o_any(self, m: int, index: str) -> Sym:
        """The output of neuron ``index`` (a letter: the neuron a sum runs over) of layer m."""

    @abstractmethod
    def y_any(self, index: str) -> Sym:
        """The target of output ``index`` (a letter)."""

    @abstractmethod
    def forward_sum(self, m: int, j: int) -> tuple:
        """Σ over the weights into neuron j of layer m ≥ 1 times their sources, as nodes."""

    @abstractmethod
    def backward_sum(self, m: int, j: int) -> tuple:
        """Σ over the weights out of hidden neuron j of layer m times the δ they carry back."""

    @abstractmethod
    def layer(self, m: int) -> str:
        """A name for layer m, for headings."""

    def sigma_prime(self, m: int, j: int) -> tuple:
        """σ′(net_j), as nodes."""
        return (Sym("σ′"), Paren((self.net(m, j),)))

    def partial(self, top: Sym, bottom: Sym) -> Frac:
        """∂top/∂bottom."""
        return Frac((Op("∂"), top), (Op("∂"), bottom))

    def eta(self) -> Sym:
        return Sym("η")


class Nielsen(Notation):
    """a^l_j, z^l_j, δ^l_j, w^l_jk, b^l_j, C: layers counted from 1 at the input."""

    name = "nielsen"
    net_name, out_name = "z", "a"  # the weighted input and the output, in tables
    weight_any = "w^l_jk"
    weight_direction = "into neuron j of layer l from neuron k of layer l − 1"
    weight_source = "a^(l−1)_k"
    weight_delta = "δ^l_j"
    equation_names = "BP{}"
    # ′ after the whole symbol, w³₁₁′, as his w_k → w_k′ = w_k − η ∂C/∂w_k: a ⁺ beside the layer
    # index read as a layer "3+" (w³⁺₁₁)
    after_mark = "′"

    @staticmethod
    def _pair(j: int | str, k: int | str) -> str:
        """The two indices of w^l_jk, run together where each is one character: w³₁₁, w³₁ₖ, w²₁₂,₃."""
        return f"{j}{k}" if len(str(j)) == 1 and len(str(k)) == 1 else f"{j},{k}"

    def o(self, m, j):
        return Sym("a", str(j + 1), str(m + 1))

    def net(self, m, j):
        return Sym("z", str(j + 1), str(m + 1))

    def delta(self, m, j):
        return Sym("δ", str(j + 1), str(m + 1))

    def after(self, symbol):
        return replace(symbol, mark=self.after_mark)

    def w(self, l, i, j, new=False):
        w = Sym("w", self._pair(j + 1, i + 1), str(l + 2))
        return self.after(w) if new else w

    def b(self, l, j, new=False):
        b = Sym("b", str(j + 1), str(l + 2))
        return self.after(b) if new else b

    def y(self, j):
        return Sym("y", str(j + 1))

    def cost(self):
        return Sym("C")

    def cost_share(self, j):
        return None  # not C_j: Nielsen's subscript on C is the example, C_x

    def o_any(self, m, index):
        return Sym("a", index, str(m + 1))

    def y_any(self, index):
        return Sym("y", index)

    def forward_sum(self, m, j):
        w = Sym("w", self._pair(j + 1, "k"), str(m + 1))  # w^l_jk, into j from k
        return (Sym("Σ", "k"), w, self.o_any(m - 1, "k"))

    def backward_sum(self, m, j):
        w = Sym("w", self._pair("k", j + 1), str(m + 2))  # w^(l+1)_kj, into k from j
        return (Sym("Σ", "k"), w, Sym("δ", "k", str(m + 2)))

    def layer(self, m):
        kind = "input" if m == 0 else "output" if m == self.L else "hidden"
        return f"layer {m + 1} ({kind})"


class Mazur(Notation):
    """out_h1, net_h1, δ_o1, w1..wN, E_total: the names of Mazur's post."""

    name = "mazur"
    net_name, out_name = "net", "out"
    weight_any = "w_ij"
    weight_direction = "from neuron i to neuron j, numbered w1, w2 … below"
    weight_source = "out_i"  # not o_i: o1, o2 … are the output neurons here
    weight_delta = "δ_j"
    after_mark = "⁺"  # the post's w5⁺

    def _label(self, m: int, j: int) -> str:
        if m == 0:
            return f"i{j + 1}"
        if m == self.L:
            return f"o{j + 1}"
        if self.L == 2:
            return f"h{j + 1}"
        return f"h{m}.{j + 1}"

    def _number(self, l: int, i: int, j: int) -> int:
        before = sum(self.sizes[k] * self.sizes[k + 1] for k in range(l))
        return before + j * self.sizes[l] + i + 1

    def o(self, m, j):
        if m == 0:
            return Sym(self._label(m, j), tight=True)
        return Sym("out", self._label(m, j))

    def net(self, m, j):
        return Sym("net", self._label(m, j))

    def delta(self, m, j):
        return Sym("δ", self._label(m, j))

    def after(self, symbol):
        return replace(symbol, sup="+")

    def w(self, l, i, j, new=False):
        w = Sym("w", str(self._number(l, i, j)), tight=True)
        return self.after(w) if new else w

    def b(self, l, j, new=False):
        b = Sym("b", self._label(l + 1, j))
        return self.after(b) if new else b

    def y(self, j):
        return Sym("target", self._label(self.L, j))

    def cost(self):
        return Sym("E", "total")

    def cost_share(self, j):
        return Sym("E", self._label(self.L, j))

    def o_any(self, m, index):
        return Sym("out", index)  # not o_i: o1, o2 … are the output neurons here

    def y_any(self, index):
        return Sym("target", index)

    def forward_sum(self, m, j):
        return (Sym("Σ", "i"), Sym("w", f"i,{self._label(m, j)}"), self.o_any(m - 1, "i"))

    def backward_sum(self, m, j):
        return (Sym("Σ", "j"), Sym("w", f"{self._label(m, j)},j"), Sym("δ", "j"))

    def layer(self, m):
        return (
            "input layer"
            if m == 0
            else "output layer"
            if m == self.L
            else ("hidden layer" if self.L == 2 else f"hidden layer {m}")
        )


def get(name: str, sizes: list[int]) -> Notation:
    """The notation called ``name`` (``"nielsen"`` or ``"mazur"``) for a network of ``sizes``."""
    if not isinstance(name, str) or name.lower() not in NOTATIONS:
        raise ValueError(f"notation must be one of {NOTATIONS}; got {name!r}")
    return (Nielsen if name.lower() == "nielsen" else Mazur)(sizes)


def default_for(example: str | None) -> str:
    """The notation a walk-through uses unless told: Mazur's for his example, else Nielsen's."""
    return "mazur" if example == "mazur" else "nielsen"
