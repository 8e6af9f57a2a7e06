"""The sections of the walk-through, one module each, in the order a reader meets them.

Each section is a function ``(trace, nt[, s]) -> list[Block]``: ``nt`` is the
:mod:`~deltaprop.walkthrough.notation` in use and ``s`` the sample, for the sections written
out once per sample. :func:`~deltaprop.walkthrough.document.build` puts them together.

* :mod:`.introduction`: the network, cost, η and the notation (and the post variant's warning);
* :mod:`.forward`: each neuron's net and o, per sample;
* :mod:`.cost`: each output's share of C_x and their sum, per sample;
* :mod:`.backward`: δ of the output layer, then of each hidden layer, per sample;
* :mod:`.updates`: ∂C/∂w, Δw and w⁺ for every weight, then every bias;
* :mod:`.after`: the cost before and after the step;
* :mod:`.summary`: in place of all but the first and last, for a network above ``max_neurons``.

:mod:`.sums` writes a sum out term by term, shared by the forward, cost and backward sections.
"""
