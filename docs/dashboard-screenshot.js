// Takes docs/dashboard-job.png and docs/dashboard-metrics.png from a running demo with headless Chromium.
//   java -jar demo/target/hrlf-demo.jar --duration 240 &     # wait until scores print
//   npm install playwright-core && node docs/dashboard-screenshot.js "$(curl -s localhost:8081/jobs | grep -o '[0-9a-f]\{32\}')"
// Needs Debian's chromium at /usr/bin/chromium (playwright's own browser download is not used).
const { chromium } = require('playwright-core');

const METRICS = [
  '0.Score_windows_(HRLF_student__TF_Java).hrlf.windowsScored',
  '0.Score_windows_(HRLF_student__TF_Java).hrlf.pattern.a_v',
  '0.Score_windows_(HRLF_student__TF_Java).hrlf.inferenceLatencyMs_median',
  '0.Assemble_participant_windows.hrlf.text.framesLate',
];

(async () => {
  const job = process.argv[2];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`http://localhost:8081/#/job/running/${job}/overview`);
  await page.waitForTimeout(5000);
  await page.screenshot({ path: 'docs/dashboard-job.png' });

  await page.setViewportSize({ width: 1920, height: 1500 });
  await page.click('text=Assemble participant windows');
  await page.waitForTimeout(2000);
  await page.click('text=Metrics');
  await page.waitForTimeout(2000);
  for (const metric of METRICS) {
    await page.click('nz-select');
    await page.keyboard.type(metric);
    await page.waitForTimeout(1000);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(800);
    await page.keyboard.press('Escape');
  }
  for (const big of await page.$$('text=Big')) {
    await big.click();
  }
  // drag the divider between graph and vertex table down, so the charts get the room
  await page.mouse.move(1102, 787);
  await page.mouse.down();
  await page.mouse.move(1102, 1480, { steps: 10 });
  await page.mouse.up();
  await page.waitForTimeout(12000); // let the charts collect a few points
  await page.screenshot({ path: 'docs/dashboard-metrics.png' });
  await browser.close();
})();
