"""The service catalogue (公共服务清单) and service orders (点单→派单→接单→评单), run on the case
loop (see ``docs/orders.md``)."""
