#include "pool.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace recur_sim {

namespace {
class Pool {
public:
    ~Pool() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : threads_) t.join();
    }

    void run(int extra, const std::function<void()>& job) {
        {
            std::lock_guard lock(mutex_);
            while ((int)threads_.size() < extra) threads_.emplace_back([this, i = (int)threads_.size()] { loop(i); });
            job_ = &job;
            wanted_ = extra;
            pending_ = extra;
            ++generation_;
        }
        wake_.notify_all();
        job();
        std::unique_lock lock(mutex_);
        done_.wait(lock, [this] { return pending_ == 0; });
        job_ = nullptr;
    }

private:
    void loop(int index) {
        uint64_t seen = 0;
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            if (index >= wanted_) continue;
            const std::function<void()>* job = job_;
            lock.unlock();
            (*job)();
            lock.lock();
            if (--pending_ == 0) done_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::vector<std::thread> threads_;
    const std::function<void()>* job_ = nullptr;
    int wanted_ = 0, pending_ = 0;
    uint64_t generation_ = 0;
    bool stop_ = false;
};
}  // namespace

void runOnWorkers(int extra, const std::function<void()>& job) {
    static Pool pool;
    if (extra <= 0) job();
    else pool.run(extra, job);
}

}  // namespace recur_sim
