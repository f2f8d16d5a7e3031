import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vendor chunks, long-cached between releases. Earlier groups take their modules first, so
 * React sits alone and is not pulled into the Ant Design chunk as one of its dependencies.
 */
const vendorGroups = [
  { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
  { name: 'vendor-icons', test: /node_modules[\\/]@ant-design[\\/]icons/ },
  // Ant Design's building blocks (@rc-component) apart from its components keep both under 500 kB.
  { name: 'vendor-rc', test: /node_modules[\\/](@rc-component|rc-[^\\/]+)[\\/]/ },
  // The form, table and upload components (workbench editors) apart, so neither half passes 500 kB.
  {
    name: 'vendor-antd-forms',
    test: /node_modules[\\/]antd[\\/](es|lib)[\\/](form|table|upload|date-picker|time-picker|transfer|tree|tree-select|cascader)[\\/]/,
  },
  { name: 'vendor-antd', test: /node_modules[\\/](antd|@ant-design|@emotion|dayjs|stylis)[\\/]/ },
  { name: 'vendor-echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
  { name: 'vendor', test: /node_modules[\\/]/ },
];

/** The web app: built into web/dist and served by the platform server at `/`. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups.map((group, index) => ({
            ...group,
            priority: vendorGroups.length - index,
          })),
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
