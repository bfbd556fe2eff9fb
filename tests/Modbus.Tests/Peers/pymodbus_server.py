#!/usr/bin/python3
"""A pymodbus 3.0 server for interop tests: serves given values so a master written elsewhere can read them back.

Run with Debian's interpreter (/usr/bin/python3, package python3-pymodbus):

    pymodbus_server.py tcp --port 5020 --unit 1 --holding 100=1,2,3 --input 0=7 --coils 10=1,0,1 --discrete 0=1
    pymodbus_server.py rtu --device /tmp/x/b --baud 9600 --parity N ...

Addresses are protocol (0-based) addresses. Prints "READY" once the values are loaded.
"""
import argparse
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartSerialServer, StartTcpServer
from pymodbus.transaction import ModbusRtuFramer

SIZE = 1000  # addresses 0..999 of each table


def block(assignments, is_bits):
    values = [0] * SIZE
    for assignment in assignments or []:
        address, _, data = assignment.partition("=")
        start = int(address)
        for offset, item in enumerate(data.split(",")):
            value = int(item, 0)
            values[start + offset] = bool(value) if is_bits else value
    # zero_mode: PDU address N is index N of the block.
    return ModbusSequentialDataBlock(0, values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("transport", choices=["tcp", "rtu"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5020)
    parser.add_argument("--device")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--parity", default="N", choices=["N", "E", "O"])
    parser.add_argument("--unit", type=int, action="append", help="unit ids served (default 1)")
    parser.add_argument("--holding", action="append")
    parser.add_argument("--input", action="append")
    parser.add_argument("--coils", action="append")
    parser.add_argument("--discrete", action="append")
    args = parser.parse_args()

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    slave = ModbusSlaveContext(
        hr=block(args.holding, False),
        ir=block(args.input, False),
        co=block(args.coils, True),
        di=block(args.discrete, True),
        zero_mode=True,
    )
    units = args.unit or [1]
    context = ModbusServerContext(slaves={unit: slave for unit in units}, single=False)
    print("READY", flush=True)
    if args.transport == "tcp":
        StartTcpServer(context=context, address=(args.host, args.port))
    else:
        StartSerialServer(
            context=context,
            framer=ModbusRtuFramer,
            port=args.device,
            baudrate=args.baud,
            parity=args.parity,
            bytesize=8,
            stopbits=1,
            timeout=0.05,
        )


if __name__ == "__main__":
    main()
