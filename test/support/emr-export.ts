import { createWriteStream } from 'node:fs';
import { createRandom } from '../../libs/cycles/src/builder/seeded-random';

/**
 * A deterministic patients export, big enough for a crash or a kill to catch an import mid-way:
 * about 1 % repeated ids, phones, `M/D/YYYY` birth dates. `messy` adds what real exports carry
 * (a quoted comma in names, a second phone with an extension, full state names, ZIPs that lost
 * their leading zero). The rows come from the cycles' seeded generator (mulberry32), so a seed
 * always writes the same file.
 */
export async function writeEmrExport(
  file: string,
  rows: number,
  options: { seed: number; messy?: boolean },
): Promise<void> {
  const random = createRandom(options.seed);
  const rand = (n: number) => random.int(n);
  const out = createWriteStream(file);
  out.write(
    options.messy
      ? 'Patient ID,Last Name,First Name,DOB,Cell Phone,Home Phone,State,Zip\r\n'
      : 'Patient ID,Last Name,First Name,DOB,Cell Phone,State,Zip\r\n',
  );
  for (let i = 0; i < rows; i++) {
    const id = rand(100) === 0 && i > 10 ? `M${rand(i)}` : `M${i}`;
    const line = options.messy
      ? `${id},"Last${rand(5000)}, Jr",First${rand(900)},${1 + rand(12)}/${1 + rand(28)}/19${40 + rand(60)},` +
        `(${200 + rand(700)}) 555-${String(rand(10000)).padStart(4, '0')},${rand(3) ? '' : '617.555.0101 x12'},` +
        `${rand(2) ? 'MA' : 'Massachusetts'},${rand(10) ? '2155' : '02139'}\r\n`
      : `${id},Last${rand(5000)},First${rand(900)},${1 + rand(12)}/${1 + rand(28)}/19${40 + rand(60)},` +
        `(${200 + rand(700)}) 555-${String(rand(10000)).padStart(4, '0')},MA,0${2100 + rand(50)}\r\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}
