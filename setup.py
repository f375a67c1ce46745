"""Builds the optional compiled fast path of the entity rules (transforms/entities/_fast.pyx).

Everything else is declared in pyproject.toml. The extension is optional: without a C compiler
(or without Cython) the install still succeeds and the pure-Python modules run
(`transforms.entities.COMPILED` is then False)."""
from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:          # no Cython: pure Python
    ext_modules = []
else:
    ext_modules = cythonize(
        [Extension("transforms.entities._fast", ["transforms/entities/_fast.pyx"])],
        compiler_directives={"language_level": 3},
    )
    for ext in ext_modules:
        ext.optional = True      # (cythonize drops the flag when given to Extension): a failed compile is no failed install

setup(ext_modules=ext_modules)
