"""torch.fft cases, each a Python expression over `torch` (lazytensor in tests/test_fft.py,
PyTorch in tests/data/make_fft_reference.py, which records PyTorch's answers in
tests/data/fft_reference.npz). SETUP defines the inputs."""

SETUP = """
x = torch.tensor([1.0, 2.0, -1.0, 0.5, 3.0, -2.0, 0.25])
x64 = x.double()
m = torch.tensor([[1.0, -2.0, 0.5, 4.0, 1.5], [0.0, 3.0, -1.0, 2.0, 0.25],
                  [2.5, 1.0, 1.0, -3.0, 0.75], [-0.5, 0.0, 2.0, 1.0, -1.0]])
c = torch.tensor([1 + 2j, -1j, 3 - 1j, 0.5 + 0.5j, -2 + 0j])
cube = torch.arange(24.0).reshape(2, 3, 4).sin()
i = torch.tensor([3, 1, 4, 1, 5, 9])
"""

VALUES = [
    "torch.fft.fft(x)", "torch.fft.fft(x64)", "torch.fft.fft(c)", "torch.fft.fft(i)",
    "torch.fft.fft(x, n=4)", "torch.fft.fft(x, n=10)", "torch.fft.fft(m, dim=0)",
    "torch.fft.fft(m, norm='ortho')", "torch.fft.fft(m, norm='forward')",
    "torch.fft.fft(m, norm='backward')", "torch.fft.ifft(c)", "torch.fft.ifft(x)",
    "torch.fft.ifft(c, n=8, norm='ortho')", "torch.fft.ifft(torch.fft.fft(x))",
    "torch.fft.rfft(x)", "torch.fft.rfft(x64, n=6)", "torch.fft.rfft(m, dim=0)",
    "torch.fft.rfft(i)", "torch.fft.rfft(m, norm='forward')",
    "torch.fft.irfft(c)", "torch.fft.irfft(c, n=9)", "torch.fft.irfft(c, n=4, norm='ortho')",
    "torch.fft.irfft(torch.fft.rfft(x), n=7)", "torch.fft.irfft(x)",
    "torch.fft.hfft(c)", "torch.fft.ihfft(x)",
    "torch.fft.fft2(m)", "torch.fft.fft2(m, s=(3, 6))", "torch.fft.ifft2(m)",
    "torch.fft.ifft2(cube, norm='ortho')", "torch.fft.rfft2(m)", "torch.fft.irfft2(m)",
    "torch.fft.fftn(cube)", "torch.fft.fftn(cube, dim=(0, 2))", "torch.fft.fftn(cube, s=(2, 5))",
    "torch.fft.fftn(cube, s=(-1, 2), dim=(2, 0))", "torch.fft.ifftn(cube, norm='forward')",
    "torch.fft.rfftn(cube)", "torch.fft.rfftn(cube, s=(4, 6))", "torch.fft.rfftn(m, dim=(0,))",
    "torch.fft.irfftn(torch.fft.rfftn(cube), s=cube.shape)", "torch.fft.irfftn(cube)",
    "torch.fft.irfftn(cube, s=(3, 5), dim=(0, 1))", "torch.fft.fftn(x)",
    "torch.fft.fftfreq(5)", "torch.fft.fftfreq(8, d=0.1)", "torch.fft.fftfreq(1)",
    "torch.fft.fftfreq(7, 2.5, dtype=torch.float64)", "torch.fft.rfftfreq(5)",
    "torch.fft.rfftfreq(8, d=0.5)", "torch.fft.rfftfreq(9, dtype=torch.float64)",
    "torch.fft.fftfreq(0)", "torch.fft.rfftfreq(0)", "torch.fft.fftn(torch.tensor(2.0))",
    "torch.fft.fftshift(x)", "torch.fft.fftshift(m)", "torch.fft.fftshift(m, dim=1)",
    "torch.fft.fftshift(cube, dim=(0, 2))", "torch.fft.ifftshift(x)", "torch.fft.ifftshift(m)",
    "torch.fft.ifftshift(torch.fft.fftshift(cube))", "torch.fft.fftshift(torch.fft.fftfreq(6))",
    "torch.fft.fft(x).abs()", "torch.fft.rfft(x).angle()", "torch.fft.fft(m).real.sum(0)",
    "torch.fft.fft(torch.fft.fftshift(x) * 2 + 1)",
]

PRINTS = ["torch.fft.fft(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
          "torch.fft.rfft(torch.tensor([1.0, 2.0, 3.0, 4.0]))",
          "torch.fft.fftfreq(5)", "torch.fft.rfftfreq(5, d=0.5)"]

ERRORS = [
    "torch.fft.rfft(c)", "torch.fft.fft(x, norm='bad')", "torch.fft.fft(x, n=0)",
    "torch.fft.fft(x, n=-1)", "torch.fft.fft(x, dim=2)", "torch.fft.fft(x.half())",
    "torch.fft.fftn(m, s=(2, 2), dim=(0,))", "torch.fft.fft2(x)",
    "torch.fft.fftfreq(4, dtype=torch.int64)", "torch.fft.fft(torch.tensor(1.0))",
    "torch.fft.fftn(m, dim=(0, 0))", "torch.fft.irfft(c, n=0)", "torch.fft.irfft(c[:1])",
    "torch.fft.rfftn(c)", "torch.fft.fftfreq(4, dtype=torch.cfloat)",
    "torch.fft.rfft2(c[None])", "torch.fft.ihfft(c)", "torch.fft.fft(x.bfloat16())",
    "torch.fft.rfftn(torch.tensor(2.0))",
]
